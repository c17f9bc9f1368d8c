"""Migration files are found in order, namespaced by source, and badly named ones refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.migrations import MigrationError, load_migrations


def write(directory: Path, name: str, sql: str = "SELECT 1;") -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(sql)


def test_sources_are_namespaced_and_ordered(tmp_path: Path) -> None:
    write(tmp_path / "a", "0002_second.sql")
    write(tmp_path / "a", "0001_first.sql")
    write(tmp_path / "b", "0001_other.sql")
    found = load_migrations({"outbox": tmp_path / "a", "svc": tmp_path / "b"})
    assert [m.version for m in found] == ["outbox/0001", "outbox/0002", "svc/0001"]


def test_checksum_changes_with_the_sql(tmp_path: Path) -> None:
    write(tmp_path, "0001_x.sql", "SELECT 1;")
    before = load_migrations({"s": tmp_path})[0].checksum
    write(tmp_path, "0001_x.sql", "SELECT 2;")
    assert load_migrations({"s": tmp_path})[0].checksum != before


@pytest.mark.parametrize("name", ["1_x.sql", "0001-x.sql", "0001_X.sql"])
def test_bad_names_are_refused(tmp_path: Path, name: str) -> None:
    write(tmp_path, name)
    with pytest.raises(MigrationError, match="NNNN_name"):
        load_migrations({"s": tmp_path})


def test_duplicate_numbers_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "0001_a.sql")
    write(tmp_path, "0001_b.sql")
    with pytest.raises(MigrationError, match="duplicate"):
        load_migrations({"s": tmp_path})
