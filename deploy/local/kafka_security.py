"""SCRAM users and ACLs on the local broker, through Kafka's own Java Admin client.

aiokafka has no ACL or SCRAM-credential API, so `provision` renders a short jshell
script against the broker's jars (kafka-clients is among them) and runs it once
per change of the declaration. Passwords are generated on first use and kept in
STACK_DIR/kafka/credentials.json (mode 0600), never in the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from pathlib import Path

from deploy.local.common import Outcome, StackError, run_logged
from deploy.local.kafka_acls import Principal, local_principals
from deploy.local.stack_config import StackConfig

SCRAM_MECHANISM = "SCRAM-SHA-512"
SCRAM_ITERATIONS = 8192


def sasl_port(cfg: StackConfig) -> int:
    """The authenticated listener sits two ports above the plaintext one."""
    return cfg.kafka.port + 2


def credentials_file(cfg: StackConfig) -> Path:
    """Where the local principals' passwords live."""
    return cfg.stack_dir / "kafka" / "credentials.json"


def credentials(cfg: StackConfig, principals: list[Principal]) -> dict[str, str]:
    """Passwords by principal, creating (and saving) those that are missing."""
    path = credentials_file(cfg)
    known: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    for principal in principals:
        known.setdefault(principal.name, secrets.token_urlsafe(24))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(known, indent=2, sort_keys=True))
    os.chmod(path, 0o600)
    return known


def _java_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Java string literal here


def render_script(bootstrap: str, principals: list[Principal], passwords: dict[str, str]) -> str:
    """The jshell script that upserts every SCRAM user and creates every ACL."""
    users = ",\n".join(
        f"  new UserScramCredentialUpsertion({_java_string(p.name)}, "
        f"new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, {SCRAM_ITERATIONS}), "
        f"{_java_string(passwords[p.name])})"
        for p in principals
    )
    acls = ",\n".join(
        f"  new AclBinding(new ResourcePattern(ResourceType.{g.resource}, "
        f"{_java_string(g.name)}, PatternType.{g.pattern}), new AccessControlEntry("
        f'{_java_string("User:" + p.name)}, "*", AclOperation.{op}, AclPermissionType.ALLOW))'
        for p in principals
        for g in p.grants
        for op in g.operations
    )
    return f"""import org.apache.kafka.clients.admin.*;
import org.apache.kafka.common.acl.*;
import org.apache.kafka.common.resource.*;
var props = new java.util.Properties();
props.put("bootstrap.servers", {_java_string(bootstrap)});
var admin = Admin.create(props);
admin.alterUserScramCredentials(java.util.List.of(
{users})).all().get();
admin.createAcls(java.util.List.of(
{acls})).all().get();
admin.close();
System.out.println("provisioned");
/exit
"""


def provision(cfg: StackConfig, libs: Path) -> Outcome:
    """Upsert users and ACLs when the declaration or the passwords changed since last time."""
    address = f"{cfg.kafka.host}:{sasl_port(cfg)}"
    principals = local_principals()
    script = render_script(cfg.kafka_bootstrap, principals, credentials(cfg, principals))
    marker = cfg.stack_dir / "kafka" / "security.sha256"
    digest = hashlib.sha256(script.encode()).hexdigest()
    if marker.exists() and marker.read_text() == digest:
        return Outcome("security", address, "reused", f"{len(principals)} principals")
    if shutil.which("jshell") is None:
        raise StackError("jshell is missing (it comes with the JDK)")
    path = cfg.stack_dir / "kafka" / "provision.jsh"
    path.write_text(script)
    os.chmod(path, 0o600)
    log = cfg.logs_dir / "kafka-security.log"
    code = run_logged(["jshell", "--class-path", f"{libs}/*", str(path)], log)
    path.unlink()
    # jshell reports a failed statement but still exits 0: the last line is the proof.
    if code != 0 or not log.read_text().rstrip().endswith("provisioned"):
        return Outcome("security", address, "failed", "provisioning failed", log)
    marker.write_text(digest)
    return Outcome("security", address, "started", f"{len(principals)} principals with ACLs")
