"""`drehscheibe`: the operators' command line (organisations and keys, bulk import)."""

from __future__ import annotations

import typer

from operators.importing.command import import_file
from services.profiles.entrypoints.cli import app as admin_app

app = typer.Typer(
    help="Operate a Drehscheibe hub: organisations, API keys, inbox secrets, bulk import.",
    no_args_is_help=True,
)
app.add_typer(admin_app, name="admin")
app.command("import")(import_file)


def main() -> None:
    """Entry point of the `drehscheibe` console script."""
    app()


if __name__ == "__main__":
    main()
