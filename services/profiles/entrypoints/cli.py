"""The administrators' command line: organisations and API keys.

python -m services.profiles.admin --help
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, TypeVar
from uuid import UUID

import typer

from services.profiles.adapters.reference import Reference, load_reference
from services.profiles.bootstrap import MIGRATIONS
from services.profiles.config import ProfilesSettings
from services.profiles.entrypoints import inbox_cli
from services.profiles.service_layer import access
from services.profiles.service_layer.unit_of_work import SCHEMA, ProfilesUnitOfWork
from shared.db import create_pool
from shared.events import OrganisationKind
from shared.migrations import migrate

T = TypeVar("T")
app = typer.Typer(help="Manage the hub's organisations and API keys.", no_args_is_help=True)
Action = Callable[[ProfilesUnitOfWork, Reference, bytes], Awaitable[T]]


@asynccontextmanager
async def _session(settings: ProfilesSettings) -> AsyncIterator[Callable[[], ProfilesUnitOfWork]]:
    pool = await create_pool(settings.database_url, schema=SCHEMA, max_size=2)
    try:
        async with pool.acquire() as conn:
            await migrate(conn, schema=SCHEMA, sources=MIGRATIONS)
        yield lambda: ProfilesUnitOfWork(
            pool, schema=SCHEMA, kafka=settings.kafka, source=settings.service_name
        )
    finally:
        await pool.close()


async def run_admin(settings: ProfilesSettings, action: Action[T]) -> T:
    """Run one administrative action in its own transaction."""
    reference = load_reference()
    pepper = settings.api_key_pepper.get_secret_value().encode()
    async with _session(settings) as uow_factory, uow_factory() as uow:
        result = await action(uow, reference, pepper)
        await uow.commit()
        return result


def _run(action: Action[T]) -> T:
    try:
        return asyncio.run(run_admin(ProfilesSettings(), action))
    except (LookupError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


def _show_key(key_id: UUID, token: str) -> None:
    typer.echo(f"key id: {key_id}")
    typer.echo(f"key:    {token}")
    typer.echo("The key is shown only now; only its digest is stored.", err=True)


@app.command("create-organisation")
def create_organisation(
    kind: Annotated[OrganisationKind, typer.Option(help="Kind of organisation.")],
    name: Annotated[str, typer.Option(help="Display name.")],
    region: Annotated[list[str] | None, typer.Option(help="Region id (repeatable).")] = None,
    issue_key: Annotated[bool, typer.Option(help="Also issue a first API key.")] = False,
) -> None:
    """Create an organisation; a hub needs exactly one --region."""

    async def action(uow: ProfilesUnitOfWork, ref: Reference, pepper: bytes) -> None:
        org = await access.create_organisation(
            uow, ref, kind=kind, name=name, region_ids=region or []
        )
        typer.echo(f"organisation: {org.id} ({org.kind}, {org.name})")
        if issue_key:
            _show_key(*await access.issue_key(uow, pepper, org.id))

    _run(action)


@app.command("issue-key")
def issue_key(organisation_id: UUID) -> None:
    """Issue a new API key for an organisation."""

    async def action(uow: ProfilesUnitOfWork, _: Reference, pepper: bytes) -> None:
        _show_key(*await access.issue_key(uow, pepper, organisation_id))

    _run(action)


@app.command("rotate-key")
def rotate_key(key_id: UUID) -> None:
    """Revoke a key and issue its successor."""

    async def action(uow: ProfilesUnitOfWork, _: Reference, pepper: bytes) -> None:
        _show_key(*await access.rotate_key(uow, pepper, key_id))

    _run(action)


@app.command("revoke-key")
def revoke_key(key_id: UUID) -> None:
    """Revoke a key at once."""

    async def action(uow: ProfilesUnitOfWork, _: Reference, __: bytes) -> None:
        org_id = await access.revoke_key(uow, key_id)
        typer.echo(f"revoked {key_id} of organisation {org_id}")

    _run(action)


@app.command("list")
def list_organisations() -> None:
    """List organisations and their keys (prefixes only)."""

    async def action(uow: ProfilesUnitOfWork, _: Reference, __: bytes) -> None:
        for org in await uow.organisations.all():
            regions = ",".join(org.region_ids) or "-"
            typer.echo(f"{org.id}  {org.kind:<17} {org.name}  regions={regions}")
            for key in await uow.organisations.keys(org.id):
                state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
                typer.echo(f"    key {key.id}  {key.prefix}…  {state}")

    _run(action)


inbox_cli.register(
    app, _run, lambda: ProfilesSettings().inbox_signing_key.get_secret_value().encode()
)
