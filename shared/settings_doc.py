"""Render every service's settings as the README's configuration table.

python -m shared.settings_doc          # print the table
python -m shared.settings_doc --write  # replace it in README.md between the markers
"""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic_settings import BaseSettings

BEGIN, END = "<!-- config-table:begin -->", "<!-- config-table:end -->"


def env_names(settings: type[BaseSettings]) -> dict[str, str]:
    """Environment variable → field name, as pydantic-settings reads them."""
    prefix = str(settings.model_config.get("env_prefix", ""))
    names = {}
    for name, field in settings.model_fields.items():
        alias = field.validation_alias
        names[alias if isinstance(alias, str) else f"{prefix}{name}".upper()] = name
    return names


def _classes() -> list[tuple[str, type[BaseSettings]]]:
    from services.matching.config import MatchingSettings
    from services.notifications.config import NotificationsSettings
    from services.profiles.config import ProfilesSettings

    return [
        ("profiles", ProfilesSettings),
        ("matching", MatchingSettings),
        ("notifications", NotificationsSettings),
    ]


def render() -> str:
    """A markdown table: variable, services, default, meaning."""
    rows: dict[str, tuple[list[str], str, str]] = {}
    for service, cls in _classes():
        for env, name in env_names(cls).items():
            if name == "service_name":
                continue
            field = cls.model_fields[name]
            default = "" if field.default is None else str(field.default)
            if "secret" in name:
                default = "(development value; set your own)"
            rows.setdefault(env, ([], default, field.description or ""))[0].append(service)
    lines = ["| variable | used by | default | meaning |", "|---|---|---|---|"]
    for env, (services, default, meaning) in rows.items():
        used = "all" if len(services) == 3 else ", ".join(services)
        lines.append(f"| `{env}` | {used} | `{default}` | {meaning} |".replace("``", ""))
    return "\n".join(lines)


def write(readme: Path) -> None:
    """Replace the table between the markers in `readme`."""
    text = readme.read_text()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{render()}\n{END}{tail}")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write(Path("README.md"))
    else:
        print(render())
