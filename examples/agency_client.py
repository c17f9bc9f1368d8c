"""An employment agency's client of the Drehscheibe hub, on Kafka with aiokafka alone.

It publishes vacancies and job-seeker profiles to the hub's inbox topics as signed
CloudEvents (docs/inbox.md) and consumes the matches meant for the agency: those on
a vacancy or a profile it posted (docs/asyncapi.json, topic hub.matches.v1).

    python examples/agency_client.py publish examples/postings.json
    python examples/agency_client.py matches --until-caught-up

Settings come from options or the environment: AGENCY_KAFKA_BOOTSTRAP (default the
authenticated local listener 127.0.0.1:9094), AGENCY_SASL_USERNAME and
AGENCY_SASL_PASSWORD (SCRAM-SHA-512; leave the user empty for a plaintext listener),
AGENCY_ORGANISATION_ID and AGENCY_INBOX_SECRET (from `python -m services.profiles.admin
inbox issue-secret`), AGENCY_TOPIC_PREFIX (only for isolated test deployments).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

INBOX = {"vacancy": "hub.inbox.vacancies.v1", "profile": "hub.inbox.profiles.v1"}
MATCHES = "hub.matches.v1"
DEFAULT_EVENT = {"vacancy": ("opened", "updated"), "profile": ("published", "updated")}
CONTENT_TYPE = b"application/cloudevents+json"


def kafka_options(args: argparse.Namespace) -> dict[str, Any]:
    """Connection settings for aiokafka: SCRAM-SHA-512 when a user is given."""
    options: dict[str, Any] = {"bootstrap_servers": args.bootstrap}
    if args.sasl_user:
        options.update(
            security_protocol="SASL_SSL" if args.tls else "SASL_PLAINTEXT",
            sasl_mechanism="SCRAM-SHA-512",
            sasl_plain_username=args.sasl_user,
            sasl_plain_password=args.sasl_password,
        )
    return options


def cloud_event(kind: str, item: dict[str, Any], organisation: str) -> dict[str, Any]:
    """A posting of the input file as a CloudEvent in structured mode."""
    external_id, version = str(item["id"]), int(item.get("version", 1))
    name = item.get("event") or DEFAULT_EVENT[kind][0 if version == 1 else 1]
    data = {**item.get("data", {}), f"{kind}_id": external_id, "version": version}
    event: dict[str, Any] = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": f"urn:agency:{organisation}",
        "type": f"de.drehscheibe.{kind}.{name}.v1",
        "subject": external_id,
        "time": datetime.now(UTC).isoformat(),
        "datacontenttype": "application/json",
        "data": data,
    }
    if "consent" in item:  # extension attributes: consent never enters `data`
        event["consentscope"] = item["consent"]["scope"]
        event["consentgivenat"] = item["consent"]["given_at"]
    return event


def signed_headers(value: bytes, organisation: str, secret: str) -> list[tuple[str, bytes]]:
    """The headers that tell the hub who sent the record: organisation and HMAC signature."""
    signature = "v1=" + hmac.new(secret.encode(), value, hashlib.sha256).hexdigest()
    return [
        ("content-type", CONTENT_TYPE),
        ("x-drehscheibe-organisation", organisation.encode()),
        ("x-drehscheibe-signature", signature.encode()),
    ]


async def publish(args: argparse.Namespace) -> int:
    """Publish every posting of the file; the key is the agency's own id of the aggregate."""
    postings = json.loads(await asyncio.to_thread(Path(args.file).read_text))
    producer = AIOKafkaProducer(acks="all", **kafka_options(args))
    await producer.start()
    try:
        sent = 0
        for kind, plural in (("vacancy", "vacancies"), ("profile", "profiles")):
            for item in postings.get(plural, []):
                event = cloud_event(kind, item, args.organisation)
                value = json.dumps(event).encode()
                await producer.send_and_wait(
                    args.topic_prefix + INBOX[kind],
                    value,
                    key=event["subject"].encode(),
                    headers=signed_headers(value, args.organisation, args.secret),
                )
                print(json.dumps({"sent": event["type"], "id": event["subject"]}), flush=True)
                sent += 1
        return sent
    finally:
        await producer.stop()


def meant_for(data: dict[str, Any], organisation: str) -> str | None:
    """Which of the agency's postings a match is about: vacancy, profile, both, or None."""
    mine = [
        side
        for side in ("vacancy", "profile")
        if data.get(f"{side}_organisation_id") == organisation
    ]
    if not mine:
        return None
    return "both" if len(mine) == 2 else mine[0]


def match_line(value: bytes, organisation: str) -> dict[str, Any] | None:
    """The printed form of a match event meant for the agency, else None."""
    event = json.loads(value)
    data = event.get("data", {})
    side = meant_for(data, organisation)
    if side is None:
        return None
    return {
        "type": event["type"].split(".")[-2],
        "vacancy_id": data["vacancy_id"],
        "profile_id": data["profile_id"],
        "score": data.get("score"),
        "gap": [g["competence_id"] for g in data.get("gap", [])],
        "mine": side,
    }


async def matches(args: argparse.Namespace) -> int:
    """Print the agency's matches as JSON lines; commit offsets in the agency's own group."""
    topic = args.topic_prefix + MATCHES
    consumer = AIOKafkaConsumer(
        group_id=args.group or f"{args.sasl_user or 'agency'}.matches",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **kafka_options(args),
    )
    await consumer.start()
    try:
        return await _consume(consumer, topic, args)
    finally:
        await consumer.stop()


async def _consume(consumer: AIOKafkaConsumer, topic: str, args: argparse.Namespace) -> int:
    consumer.subscribe([topic])
    ends: dict[TopicPartition, int] = {}
    deadline, printed = time.monotonic() + args.timeout, 0
    while time.monotonic() < deadline:
        batches = await consumer.getmany(timeout_ms=500)
        for records in batches.values():
            for record in records:
                line = match_line(record.value, args.organisation) if record.value else None
                if line is not None:
                    print(json.dumps(line), flush=True)
                    printed += 1
        if batches:
            await consumer.commit()
        if args.until_caught_up and await _caught_up(consumer, ends):
            break
    return printed


async def _caught_up(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    # The end offsets are taken once, as soon as the group has assigned partitions.
    assigned = consumer.assignment()
    if not assigned:
        return False
    if not ends:
        ends.update(await consumer.end_offsets(list(assigned)))
    return all([await consumer.position(tp) >= ends.get(tp, 0) for tp in assigned])


def parser() -> argparse.ArgumentParser:
    """Options, with defaults from the environment."""
    env = os.environ.get
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bootstrap", default=env("AGENCY_KAFKA_BOOTSTRAP", "127.0.0.1:9094"))
    p.add_argument("--sasl-user", default=env("AGENCY_SASL_USERNAME", ""))
    p.add_argument("--sasl-password", default=env("AGENCY_SASL_PASSWORD", ""))
    p.add_argument("--tls", action="store_true", help="SASL_SSL instead of SASL_PLAINTEXT")
    p.add_argument("--organisation", default=env("AGENCY_ORGANISATION_ID", ""))
    p.add_argument("--secret", default=env("AGENCY_INBOX_SECRET", ""))
    p.add_argument("--topic-prefix", default=env("AGENCY_TOPIC_PREFIX", ""))
    sub = p.add_subparsers(dest="command", required=True)
    pub = sub.add_parser("publish", help="publish the vacancies and profiles of a JSON file")
    pub.add_argument("file")
    sub_matches = sub.add_parser("matches", help="print matches on the agency's postings")
    sub_matches.add_argument("--group", default="", help="consumer group (default USER.matches)")
    sub_matches.add_argument("--timeout", type=float, default=60.0, help="stop after seconds")
    sub_matches.add_argument(
        "--until-caught-up", action="store_true", help="stop at the end offsets seen at start"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; exit status 2 when a setting is missing."""
    args = parser().parse_args(argv)
    if not args.organisation or (args.command == "publish" and not args.secret):
        print("set AGENCY_ORGANISATION_ID and AGENCY_INBOX_SECRET", file=sys.stderr)
        return 2
    command = publish if args.command == "publish" else matches
    count = asyncio.run(command(args))
    print(json.dumps({"command": args.command, "count": count}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
