"""Structural checks of docker-compose.yml and deploy/Dockerfile (no Docker engine needed)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic_settings import BaseSettings

from services.matching.config import MatchingSettings
from services.notifications.config import NotificationsSettings
from services.profiles.config import ProfilesSettings
from shared.settings import CommonSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
INFRA = ("kafka", "postgres", "redis")
SETTINGS: dict[str, type[CommonSettings]] = {
    "topics": CommonSettings,
    "profiles": ProfilesSettings,
    "matching": MatchingSettings,
    "notifications": NotificationsSettings,
}
HTTP_SERVICES = ("profiles", "matching", "notifications")
# ${NAME}, ${NAME:-default} and ${NAME-default}, as docker compose interpolates them.
_INTERPOLATION = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}")


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return dict(compose["services"])


def env_names(settings: type[BaseSettings]) -> set[str]:
    """The environment variable names a settings class reads."""
    prefix = str(settings.model_config.get("env_prefix", ""))
    names = set()
    for name, field in settings.model_fields.items():
        alias = field.validation_alias
        names.add(alias.upper() if isinstance(alias, str) else f"{prefix}{name}".upper())
    return names


def with_defaults(value: object) -> str:
    """A compose value with each ${VAR:-default} replaced by its default."""
    return _INTERPOLATION.sub(lambda m: m.group(2) or "", str(value))


def test_all_services_present(services: dict[str, Any]) -> None:
    assert set(services) >= {*INFRA, *SETTINGS}


def test_infrastructure_images(services: dict[str, Any]) -> None:
    kafka_image, _, kafka_tag = services["kafka"]["image"].partition(":")
    assert kafka_image == "apache/kafka"
    assert kafka_tag.split(".")[0] == "4"
    assert services["postgres"]["image"].split(":")[1].split(".")[0] == "16"
    assert services["redis"]["image"].split(":")[1].split(".")[0] == "7"


def test_kafka_runs_kraft_single_node(services: dict[str, Any]) -> None:
    env = services["kafka"]["environment"]
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{env['KAFKA_NODE_ID']}@kafka:9093"
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"]


@pytest.mark.parametrize("name", INFRA)
def test_infrastructure_has_healthcheck_and_volume(services: dict[str, Any], name: str) -> None:
    service = services[name]
    assert service["healthcheck"]["test"]
    assert any(":" in volume for volume in service["volumes"])


def test_named_volumes_are_declared(services: dict[str, Any]) -> None:
    compose = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    used = {v.split(":")[0] for s in services.values() for v in s.get("volumes", [])}
    assert used <= set(compose["volumes"])


@pytest.mark.parametrize("name", SETTINGS)
def test_app_service_builds_from_dockerfile(services: dict[str, Any], name: str) -> None:
    build = services[name]["build"]
    assert (COMPOSE.parent / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE
    assert services[name]["command"][:2] == ["python", "-m"]


@pytest.mark.parametrize("name", SETTINGS)
def test_app_env_vars_are_real_settings(services: dict[str, Any], name: str) -> None:
    unknown = set(services[name]["environment"]) - env_names(SETTINGS[name])
    assert not unknown, f"{name} sets env vars its settings class ignores: {unknown}"


@pytest.mark.parametrize("name", SETTINGS)
def test_app_env_values_validate(
    services: dict[str, Any], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_cls = SETTINGS[name]
    for env in env_names(settings_cls):
        monkeypatch.delenv(env, raising=False)
    for key, value in services[name]["environment"].items():
        if value is not None:  # a bare key is passed through from the host, if set there
            monkeypatch.setenv(key, with_defaults(value))
    settings = settings_cls()
    assert settings.kafka_bootstrap_servers == "kafka:9092"
    if name in HTTP_SERVICES:
        assert settings.database_url.split("@")[1] == "postgres:5432/drehscheibe"
        assert settings.redis_url.startswith("redis://redis:6379")


@pytest.mark.parametrize("name", HTTP_SERVICES)
def test_http_binds_all_interfaces_and_healthcheck_hits_its_port(
    services: dict[str, Any], name: str
) -> None:
    service = services[name]
    env = service["environment"]
    prefix = name.upper()
    # Inside a container the service must listen on all interfaces to be reachable at all.
    assert env[f"{prefix}_HTTP_HOST"] == "0.0.0.0"  # noqa: S104
    port = int(env[f"{prefix}_HTTP_PORT"])
    assert port == SETTINGS[name].model_fields["http_port"].default
    probe = " ".join(service["healthcheck"]["test"])
    assert f"http://127.0.0.1:{port}/healthz" in probe


def test_profiles_publishes_its_port(services: dict[str, Any]) -> None:
    assert any(str(p).endswith(":8000:8000") for p in services["profiles"]["ports"])


def test_every_dependency_has_a_condition(services: dict[str, Any]) -> None:
    for name, service in services.items():
        depends = service.get("depends_on", {})
        assert isinstance(depends, dict), f"{name}: depends_on must be a mapping"
        for target, spec in depends.items():
            assert target in services
            assert spec["condition"] in {"service_healthy", "service_completed_successfully"}
            if spec["condition"] == "service_healthy":
                assert "healthcheck" in services[target], f"{target} has no healthcheck"


@pytest.mark.parametrize("name", HTTP_SERVICES)
def test_app_waits_for_infra_and_topics(services: dict[str, Any], name: str) -> None:
    depends = services[name]["depends_on"]
    assert {t: depends[t]["condition"] for t in INFRA} == dict.fromkeys(INFRA, "service_healthy")
    assert depends["topics"]["condition"] == "service_completed_successfully"
    assert services["topics"]["command"] == ["python", "-m", "shared.kafka_admin"]


def test_secrets_come_from_the_environment(services: dict[str, Any]) -> None:
    for service in services.values():
        for key, value in (service.get("environment") or {}).items():
            if any(word in key for word in ("SECRET", "PASSWORD")):
                assert _INTERPOLATION.fullmatch(str(value)), f"{key} is hard-coded"


def test_dockerfile_installs_from_the_lock_as_non_root() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "uv sync --frozen" in text
    assert "--no-dev" in text
    assert "UV_PYTHON_DOWNLOADS=never" in text
    bases = re.findall(r"^FROM\s+(\S+)", text, re.M)
    assert bases, "no FROM line"
    assert set(bases) == {"python:3.11-slim"}
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users, "the image must switch to a non-root user"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerignore_keeps_local_state_out() -> None:
    entries = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".git", ".venv", ".local"} <= entries
