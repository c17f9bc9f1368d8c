"""The Kubernetes manifests, checked structurally (no cluster here): complete and consistent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import SecretStr
from pydantic_settings import BaseSettings

from services.matching.config import MatchingSettings
from services.notifications.config import NotificationsSettings
from services.profiles.config import ProfilesSettings
from shared.settings_doc import env_names

BASE = Path(__file__).resolve().parents[2] / "deploy" / "k8s" / "base"
SETTINGS: dict[str, type[BaseSettings]] = {
    "profiles": ProfilesSettings,
    "matching": MatchingSettings,
    "notifications": NotificationsSettings,
}


def documents() -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((BASE / "kustomization.yaml").read_text())
    docs: list[dict[str, Any]] = []
    for resource in kustomization["resources"]:
        docs += [d for d in yaml.safe_load_all((BASE / resource).read_text()) if d]
    return docs


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in documents() if d["kind"] == kind}


def container(deployment: dict[str, Any]) -> dict[str, Any]:
    containers: list[dict[str, Any]] = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def test_every_listed_resource_exists_and_parses() -> None:
    kinds = {d["kind"] for d in documents()}
    assert {
        "Namespace",
        "ConfigMap",
        "Job",
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
    } <= kinds


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_deployment_runs_the_service_with_probes_and_resources(name: str) -> None:
    spec = container(of_kind("Deployment")[name])
    assert spec["command"] == ["python", "-m", f"services.{name}"]
    assert spec["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert spec["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(spec["resources"][kind])


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_variable_set_is_a_real_setting_and_secrets_are_references(name: str) -> None:
    known = set(env_names(SETTINGS[name]))
    config = of_kind("ConfigMap")["drehscheibe-config"]["data"]
    assert set(config) <= known
    for var in container(of_kind("Deployment")[name])["env"]:
        assert var["name"] in known, var["name"]
        if any(word in var["name"] for word in ("PASSWORD", "SECRET", "DATABASE_URL", "REDIS")):
            assert "secretKeyRef" in var.get("valueFrom", {}), (
                f"{var['name']} must come from a Secret"
            )
            assert "value" not in var


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_secrets_with_a_development_default_are_always_set_from_a_secret(name: str) -> None:
    settings = SETTINGS[name]
    secret_vars = {
        var
        for var, field in env_names(settings).items()
        if settings.model_fields[field].annotation is SecretStr
    }
    env = {v["name"]: v for v in container(of_kind("Deployment")[name])["env"]}
    for var in secret_vars:
        assert var in env, f"{name} would run on the development value of {var}"
        assert "secretKeyRef" in env[var].get("valueFrom", {}), f"{var} must come from a Secret"


def test_stream_processors_autoscale_and_every_service_keeps_one_pod() -> None:
    hpas = of_kind("HorizontalPodAutoscaler")
    assert {h["spec"]["scaleTargetRef"]["name"] for h in hpas.values()} == {
        "matching",
        "notifications",
    }
    assert all(h["spec"]["maxReplicas"] <= 6 for h in hpas.values()), "more than partitions idle"
    assert set(of_kind("PodDisruptionBudget")) == set(SETTINGS)


def test_topics_are_created_by_a_job_with_the_hub_command() -> None:
    job = of_kind("Job")["drehscheibe-topics"]
    assert job["spec"]["template"]["spec"]["containers"][0]["command"] == [
        "python",
        "-m",
        "shared.kafka_admin",
    ]


def test_production_overlay_builds_on_base() -> None:
    overlay = BASE.parent / "overlays" / "production" / "kustomization.yaml"
    assert yaml.safe_load(overlay.read_text())["resources"] == ["../../base"]
