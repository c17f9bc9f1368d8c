"""Sends notification e-mails through an SMTP server (aiosmtplib)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

import aiosmtplib
from pydantic import SecretStr

from services.notifications.domain import email
from services.notifications.domain.delivery import DueDelivery
from services.notifications.domain.outcome import AttemptResult


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """Where the SMTP server is and how to log in."""

    host: str
    port: int
    sender: str
    timeout_s: float
    username: str | None = None
    password: SecretStr | None = None
    starttls: bool = False


class SmtpSender:
    """One attempt = one SMTP transaction; a refusal or an unreachable server is a failure."""

    def __init__(self, config: SmtpConfig) -> None:
        self._config = config

    async def send(self, delivery: DueDelivery) -> AttemptResult:
        """Send one e-mail for one delivery."""
        return await self._submit(email.single(delivery, sender=self._config.sender))

    async def send_digest(self, deliveries: Sequence[DueDelivery]) -> AttemptResult:
        """Send one e-mail carrying all of `deliveries`."""
        return await self._submit(email.digest(deliveries, sender=self._config.sender))

    async def _submit(self, message: EmailMessage) -> AttemptResult:
        c = self._config
        try:
            await aiosmtplib.send(
                message,
                hostname=c.host,
                port=c.port,
                username=c.username,
                password=c.password.get_secret_value() if c.password else None,
                start_tls=c.starttls,
                timeout=c.timeout_s,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            return AttemptResult(error=f"SMTP recipient refused: {exc}"[:1000])
        except (aiosmtplib.SMTPException, OSError) as exc:
            return AttemptResult(error=f"{type(exc).__name__}: {exc}"[:1000], healthy=False)
        return AttemptResult()
