"""The README's configuration table is the one the settings classes produce."""

from __future__ import annotations

from pathlib import Path

from shared.settings_doc import BEGIN, END, env_names, render

README = Path(__file__).resolve().parents[2] / "README.md"


def test_configuration_table_is_current() -> None:
    text = README.read_text()
    table = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert table == render(), "run: python -m shared.settings_doc --write"


def test_env_names_follow_aliases_and_prefixes() -> None:
    from services.profiles.config import ProfilesSettings

    names = env_names(ProfilesSettings)
    assert names["DATABASE_URL"] == "database_url"
    assert names["PROFILES_HTTP_PORT"] == "http_port"
    assert "HTTP_PORT" not in names
