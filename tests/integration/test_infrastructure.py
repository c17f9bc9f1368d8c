"""The shared plumbing against the real servers: migrations and topic declarations."""

from __future__ import annotations

import uuid
from pathlib import Path

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from shared.migrations import MigrationError, migrate, pending
from shared.topics import DEADLETTER, MATCHES, TOPICS, qualified
from tests.stack import StackUrls

pytestmark = pytest.mark.integration


async def test_migrations_apply_once_and_refuse_an_edited_file(
    database_url: str, tmp_path: Path
) -> None:
    schema = f"m_{uuid.uuid4().hex[:8]}"
    (tmp_path / "0001_t.sql").write_text("CREATE TABLE t (id int PRIMARY KEY);")
    (tmp_path / "0002_u.sql").write_text("ALTER TABLE t ADD COLUMN u text;")
    conn = await asyncpg.connect(database_url)
    try:
        assert await pending(conn, schema=schema, sources={"s": tmp_path}) == ["s/0001", "s/0002"]
        assert await migrate(conn, schema=schema, sources={"s": tmp_path}) == ["s/0001", "s/0002"]
        assert await migrate(conn, schema=schema, sources={"s": tmp_path}) == []
        assert await pending(conn, schema=schema, sources={"s": tmp_path}) == []
        await conn.execute(f'SET search_path TO "{schema}"')
        await conn.execute("INSERT INTO t (id, u) VALUES (1, $1)", "x")

        (tmp_path / "0002_u.sql").write_text("ALTER TABLE t ADD COLUMN v text;")
        with pytest.raises(MigrationError, match="changed after it was applied"):
            await migrate(conn, schema=schema, sources={"s": tmp_path})
    finally:
        await conn.close()


async def test_a_failing_migration_leaves_nothing_half_applied(
    database_url: str, tmp_path: Path
) -> None:
    schema = f"m_{uuid.uuid4().hex[:8]}"
    (tmp_path / "0001_bad.sql").write_text("CREATE TABLE ok (id int); SELECT no_such_function();")
    conn = await asyncpg.connect(database_url)
    try:
        with pytest.raises(asyncpg.UndefinedFunctionError):
            await migrate(conn, schema=schema, sources={"s": tmp_path})
        assert await conn.fetchval("SELECT to_regclass($1)", f"{schema}.ok") is None
        assert await pending(conn, schema=schema, sources={"s": tmp_path}) == ["s/0001"]
    finally:
        await conn.close()


async def test_topics_exist_with_their_declared_cleanup_policy(
    stack: StackUrls, topic_prefix: str
) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.kafka)
    await admin.start()
    try:
        names = {qualified(spec.name, topic_prefix) for spec in TOPICS}
        assert names <= set(await admin.list_topics())
        resources = [
            ConfigResource(ConfigResourceType.TOPIC, qualified(name, topic_prefix))
            for name in (MATCHES, DEADLETTER)
        ]
        responses = await admin.describe_configs(resources)
    finally:
        await admin.close()
    configs = {}
    for response in responses:
        for _code, _msg, _type, name, entries in response.resources:
            configs[name] = {entry[0]: entry[1] for entry in entries}
    assert configs[qualified(MATCHES, topic_prefix)]["cleanup.policy"] == "compact"
    assert configs[qualified(DEADLETTER, topic_prefix)]["cleanup.policy"] == "delete"
