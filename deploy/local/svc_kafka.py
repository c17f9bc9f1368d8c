"""Apache Kafka 4.1 in KRaft combined mode, from Maven Central jars, as one JVM."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
from pathlib import Path
from string import Template

from deploy.local import procs
from deploy.local.common import Outcome, StackError, run_logged
from deploy.local.probes import check, kafka_probe, port_open, wait_ready
from deploy.local.stack_config import REPO, StackConfig

NAME = "kafka"
MARKER = "kafka.Kafka"
KAFKA_DIR = REPO / "deploy" / "kafka"
READY_TIMEOUT = 90.0
JVM_OPTS = ("-Xms256m", "-Xmx768m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError")


def home(cfg: StackConfig) -> Path:
    return cfg.stack_dir / "kafka"


def libs_dir(cfg: StackConfig) -> Path:
    return home(cfg) / "libs"


def log_file(cfg: StackConfig) -> Path:
    return cfg.logs_dir / "kafka.log"


def pom() -> Path:
    return KAFKA_DIR / "pom.xml"


def ensure_libs(cfg: StackConfig) -> None:
    """Copy the broker's jars from Maven Central once; a marker records the pom used."""
    libs = libs_dir(cfg)
    marker = libs / ".complete"
    wanted = pom().read_text()
    if marker.exists() and marker.read_text() == wanted:
        return
    if shutil.which("mvn") is None:
        raise StackError("mvn is missing (apt-get install maven)")
    shutil.rmtree(libs, ignore_errors=True)
    cmd = [
        "mvn", "-B", "-q", "-f", str(pom()), "dependency:copy-dependencies",
        f"-DoutputDirectory={libs}", "-DincludeScope=runtime",
    ]  # fmt: skip
    if run_logged(cmd, cfg.logs_dir / "maven.log") != 0:
        raise StackError(f"downloading the Kafka jars failed (log: {cfg.logs_dir / 'maven.log'})")
    marker.write_text(wanted)


def render_config(cfg: StackConfig) -> Path:
    """server.properties for this STACK_DIR and KAFKA_BOOTSTRAP_SERVERS."""
    text = Template((KAFKA_DIR / "server.properties.template").read_text()).substitute(
        host=cfg.kafka.host,
        port=cfg.kafka.port,
        controller_port=cfg.kafka.port + 1,
        sasl_port=cfg.kafka.port + 2,
        log_dirs=home(cfg) / "data",
    )
    target = home(cfg) / "server.properties"
    target.write_text(text)
    return target


def java(cfg: StackConfig, *args: str) -> list[str]:
    return ["java", "-cp", f"{libs_dir(cfg)}/*", *args]


def cluster_id(cfg: StackConfig) -> str:
    """A fresh cluster id from StorageTool; one starting with '-' would read as an option."""
    for _ in range(5):
        out = subprocess.run(
            java(cfg, "kafka.tools.StorageTool", "random-uuid"),
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        value = out.stdout.strip().splitlines()[-1]
        if not value.startswith("-"):
            return value
    raise StackError("StorageTool random-uuid gave no usable cluster id")


def ensure_formatted(cfg: StackConfig, properties: Path) -> None:
    """Format the log directory once; a formatted one has meta.properties."""
    if (home(cfg) / "data" / "meta.properties").exists():
        return
    cmd = java(
        cfg, "kafka.tools.StorageTool", "format", "-t", cluster_id(cfg), "-c", str(properties)
    )
    if run_logged(cmd, cfg.logs_dir / "kafka-setup.log") != 0:
        raise StackError(
            f"formatting the Kafka storage failed (log: {cfg.logs_dir / 'kafka-setup.log'})"
        )


def cds_archive(cfg: StackConfig) -> Path:
    """Class-data-sharing archive, named after the JVM binary and the jars it was made from."""
    java_bin = Path(shutil.which("java") or "java").resolve()
    stamp = (
        f"{java_bin}:{java_bin.stat().st_mtime_ns if java_bin.exists() else 0}:{pom().read_text()}"
    )
    return home(cfg) / f"kafka-{hashlib.sha256(stamp.encode()).hexdigest()[:12]}.jsa"


def jvm_flags(cfg: StackConfig) -> list[str]:
    """Heap, logging, and class-data sharing: dump an archive on the first run, use it later.

    The archive is written when the JVM exits; it saves about 1 s of the broker's start.
    """
    archive = cds_archive(cfg)
    if archive.exists() and archive.stat().st_size > 0:
        cds = f"-XX:SharedArchiveFile={archive}"
    else:
        for stale in home(cfg).glob("kafka*.jsa"):
            stale.unlink()
        cds = f"-XX:ArchiveClassesAtExit={archive}"
    return [
        *JVM_OPTS, cds, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
        f"-Dkafka.logs.dir={cfg.logs_dir}",
        f"-Dlog4j2.configurationFile={KAFKA_DIR / 'log4j2.properties'}",
    ]  # fmt: skip


def start(cfg: StackConfig) -> subprocess.Popen[bytes]:
    """Fetch the jars (once), write the config, format (once) and launch the broker."""
    home(cfg).mkdir(parents=True, exist_ok=True)
    ensure_libs(cfg)
    properties = render_config(cfg)
    ensure_formatted(cfg, properties)
    cmd = ["java", *jvm_flags(cfg), "-cp", f"{libs_dir(cfg)}/*", MARKER, str(properties)]
    proc = procs.spawn(cmd, log_file(cfg), cwd=home(cfg))
    procs.write_pid(procs.pid_file(cfg.run_dir, NAME), proc.pid)
    return proc


def up(cfg: StackConfig) -> Outcome:
    """Reuse a broker that answers, else download, format and start one."""
    address = str(cfg.kafka)
    ours = procs.recorded_pid(procs.pid_file(cfg.run_dir, NAME), MARKER)
    probe = check(lambda: kafka_probe(cfg.kafka_bootstrap))
    if probe.ok:
        whose = f"ours, pid {ours}" if ours else "external"
        return Outcome(NAME, address, "reused", f"{whose}; {probe.detail}")
    if ours is None and port_open(cfg.kafka):
        return Outcome(
            NAME, address, "failed", f"port in use by a non-Kafka server ({probe.detail})"
        )
    if ours is None and not cfg.kafka.is_local:
        return Outcome(NAME, address, "failed", f"remote broker does not answer ({probe.detail})")
    began = time.monotonic()
    try:
        pid = ours if ours is not None else start(cfg).pid
    except (StackError, OSError, subprocess.CalledProcessError) as exc:
        return Outcome(NAME, address, "failed", str(exc), log_file(cfg))
    ready = wait_ready(
        lambda: kafka_probe(cfg.kafka_bootstrap), READY_TIMEOUT, lambda: procs.is_alive(pid)
    )
    if not ready.ok:
        return Outcome(NAME, address, "failed", ready.detail, log_file(cfg))
    took = time.monotonic() - began
    return Outcome(NAME, address, "started", f"pid {pid}, ready in {took:.1f} s")
