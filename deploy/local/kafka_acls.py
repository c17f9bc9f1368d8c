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


def service_principal(service: str) -> Principal:
    """A service writes the topics it owns (and dead letters) and reads what it consumes."""
    owns = [spec.name for spec in t.TOPICS if spec.writer == service]
    consumes = [spec.name for spec in t.TOPICS if service in spec.readers]
    return Principal(f"svc-{service}", (
        *_write(*owns, t.DEADLETTER), *_read(*consumes), _group(service),
    ))  # fmt: skip


def service_principals() -> list[Principal]:
    """The hub's own services."""
    return [service_principal(service) for service in t.SERVICES]


def agency_principal(name: str) -> Principal:
    """An agency: writes only to the inbox topics, reads only what is published for agencies."""
    readable = [spec.name for spec in t.TOPICS if t.AGENCIES in spec.readers]
    return Principal(name, (
        Grant("TOPIC", INBOX_PREFIX, "PREFIXED", ("WRITE", "DESCRIBE")),
        *_read(*readable),
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
