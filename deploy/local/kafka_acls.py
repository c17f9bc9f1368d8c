"""Who may do what on the broker: one principal per service and per agency, least privilege.

The declaration here is the single source for the local stack (provisioned by
`kafka_security.provision`) and for the production ACLs documented in
docs/kafka-security.md. Topic names come from shared.topics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from shared import topics as t

Resource = Literal["TOPIC", "GROUP", "CLUSTER"]
Pattern = Literal["LITERAL", "PREFIXED"]


@dataclass(frozen=True, slots=True)
class Grant:
    """Operations allowed on one resource pattern."""

    resource: Resource
    name: str
    pattern: Pattern
    operations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Principal:
    """A SCRAM user and its grants."""

    name: str
    grants: tuple[Grant, ...]


def _read(*names: str) -> list[Grant]:
    return [Grant("TOPIC", n, "LITERAL", ("READ", "DESCRIBE")) for n in names]


def _write(*names: str) -> list[Grant]:
    return [Grant("TOPIC", n, "LITERAL", ("WRITE", "DESCRIBE")) for n in names]


def _group(prefix: str) -> Grant:
    return Grant("GROUP", prefix, "PREFIXED", ("READ", "DESCRIBE"))


INBOX_PREFIX = "hub.inbox."
AGENCY_READABLE = (t.MATCHES, t.BULLETINS)


def service_principals() -> list[Principal]:
    """The hub's own services: each reads what it consumes and writes what it owns."""
    profiles_writes = [s.name for s in t.TOPICS if s.writer == "profiles"]
    return [
        Principal("svc-profiles", (
            *_write(*profiles_writes, t.DEADLETTER),
            Grant("TOPIC", INBOX_PREFIX, "PREFIXED", ("READ", "DESCRIBE")),
            *_read(t.MATCHES, t.NOTIFICATIONS),
            _group("profiles"),
        )),
        Principal("svc-matching", (
            *_write(t.MATCHES, t.DEADLETTER),
            *_read(t.VACANCIES, t.PROFILES, t.TRAINING_OFFERS),
            _group("matching"),
        )),
        Principal("svc-notifications", (
            *_write(t.NOTIFICATIONS, t.DEADLETTER),
            *_read(t.MATCHES, t.SUBSCRIPTIONS, t.BULLETINS),
            _group("notifications"),
        )),
    ]  # fmt: skip


def agency_principal(name: str) -> Principal:
    """An agency: writes only to the inbox topics, reads only matches and bulletins."""
    return Principal(name, (
        Grant("TOPIC", INBOX_PREFIX, "PREFIXED", ("WRITE", "DESCRIBE")),
        *_read(*AGENCY_READABLE),
        _group(name),
    ))  # fmt: skip


def local_principals() -> list[Principal]:
    """What the local stack provisions: the services and one demo agency."""
    return [*service_principals(), agency_principal("agency-demo")]


def acl_commands(principals: list[Principal], bootstrap: str = "$BOOTSTRAP") -> list[str]:
    """The same grants as `kafka-acls.sh` commands, for a production cluster."""
    lines = []
    for principal in principals:
        for grant in principal.grants:
            kind = {"TOPIC": "--topic", "GROUP": "--group", "CLUSTER": "--cluster"}[grant.resource]
            ops = " ".join(f"--operation {op.title()}" for op in grant.operations)
            lines.append(
                f"kafka-acls.sh --bootstrap-server {bootstrap} --command-config admin.properties"
                f" --add --allow-principal User:{principal.name} {ops} {kind} {grant.name}"
                f" --resource-pattern-type {grant.pattern.lower()}"
            )
    return lines


if __name__ == "__main__":
    import sys

    agencies = sys.argv[1:] or ["agency-example"]
    principals = [*service_principals(), *(agency_principal(name) for name in agencies)]
    print("\n".join(acl_commands(principals)))
