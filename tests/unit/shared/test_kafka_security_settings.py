"""A named principal turns into SASL/SCRAM-SHA-512 for the broker; none means plaintext."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from shared.kafka import security
from shared.settings import CommonSettings, KafkaSettings


def kafka(**extra: object) -> KafkaSettings:
    return KafkaSettings.model_validate(
        {"bootstrap_servers": "b:9094", "topic_prefix": "", "client_id": "matching", **extra}
    )


def test_plaintext_without_a_principal() -> None:
    assert security(kafka()) is None


def test_scram_with_a_principal() -> None:
    sec = security(kafka(sasl_username="svc-matching", sasl_password=SecretStr("pw")))
    assert sec is not None
    assert sec.get_requirement() == [{"scram512": []}]
    assert (sec.username, sec.password, sec.use_ssl) == ("svc-matching", "pw", False)  # type: ignore[attr-defined]


def test_tls_on_request() -> None:
    sec = security(kafka(sasl_username="u", sasl_password=SecretStr("p"), use_tls=True))
    assert sec is not None
    assert sec.use_ssl is True
    assert sec.ssl_context is not None


def test_settings_read_the_principal_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "svc-profiles")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "secret")
    settings = CommonSettings()
    assert settings.kafka.sasl_username == "svc-profiles"
    assert settings.kafka.sasl_password is not None
    assert settings.kafka.sasl_password.get_secret_value() == "secret"
    assert "secret" not in repr(settings)
