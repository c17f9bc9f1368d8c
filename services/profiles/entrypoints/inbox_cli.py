"""Administrators' commands for inbox signing secrets (`admin inbox --help`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import typer

from services.profiles.adapters.inbox import InboxRepository
from services.profiles.adapters.reference import Reference
from services.profiles.service_layer import inbox
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork

Action = Callable[[ProfilesUnitOfWork, Reference, bytes], Awaitable[Any]]
Run = Callable[[Action], Any]
SigningKey = Callable[[], bytes]


def register(parent: typer.Typer, run: Run, signing_key: SigningKey) -> None:
    """Add the `inbox` command group to the admin CLI."""
    app = typer.Typer(help="Signing secrets of agencies and associations that post to the inbox.")
    parent.add_typer(app, name="inbox")

    @app.command("issue-secret")
    def issue_secret(organisation_id: UUID) -> None:
        """Issue an inbox signing secret (earlier ones stay valid until revoked)."""

        async def action(uow: ProfilesUnitOfWork, _: Reference, __: bytes) -> None:
            secret_id, secret = await inbox.issue_secret(uow, signing_key(), organisation_id)
            typer.echo(f"secret id: {secret_id}")
            typer.echo(f"secret:    {secret}")
            typer.echo("The secret is shown only now; sign records with it.", err=True)

        run(action)

    @app.command("revoke-secret")
    def revoke_secret(secret_id: UUID) -> None:
        """Revoke an inbox signing secret at once."""

        async def action(uow: ProfilesUnitOfWork, _: Reference, __: bytes) -> None:
            org_id = await inbox.revoke_secret(uow, secret_id)
            typer.echo(f"revoked inbox secret {secret_id} of organisation {org_id}")

        run(action)

    @app.command("list-secrets")
    def list_secrets(organisation_id: UUID) -> None:
        """List an organisation's inbox secrets (ids only)."""

        async def action(uow: ProfilesUnitOfWork, _: Reference, __: bytes) -> None:
            for info in await InboxRepository(uow.conn).secrets(organisation_id):
                state = f"revoked {info.revoked_at:%Y-%m-%d}" if info.revoked_at else "active"
                typer.echo(f"{info.id}  created {info.created_at:%Y-%m-%d}  {state}")

        run(action)
