"""A webhook receiver in its own process: verifies every signature and timestamps each
delivery on arrival, one JSON line per delivery on stdout.

    python -m bench.hub.receiver --port 8099 --secret <signing secret>

A raw asyncio protocol rather than a web framework keeps the receiver's own cost far
below the hub's, so that its clock reads arrival, not its own queueing. A delivery
with a bad signature is answered 401 and reported with "ok": false.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

from services.notifications.domain.signing import verify

OK = b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n"
REFUSED = b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\n\r\n"


def parse_head(head: bytes) -> dict[str, str]:
    """Header lines of a request head into a lower-cased dict."""
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower().decode()] = value.strip().decode()
    return headers


def record(
    secret: bytes, headers: dict[str, str], body: bytes, arrived: float
) -> dict[str, object]:
    """What the harness needs of one delivery, with the verdict on its signature."""
    stamp = int(headers.get("x-drehscheibe-timestamp", "0") or 0)
    signature = headers.get("x-drehscheibe-signature", "")
    ok = verify(secret, stamp, body, signature, now=int(time.time()))
    event = json.loads(body) if ok else {}
    data = event.get("data", {})
    return {
        "t": arrived,
        "m": event.get("occurred_at"),  # when the matcher made the match event
        "ok": ok,
        "id": headers.get("x-drehscheibe-delivery"),
        "type": headers.get("x-drehscheibe-event"),
        "v": data.get("vacancy_id"),
        "p": data.get("profile_id"),
        "ver": data.get("version"),
    }


class Hook(asyncio.Protocol):
    """HTTP/1.1 keep-alive requests with a content-length, answered in order."""

    def __init__(self, secret: bytes) -> None:
        self._secret, self._buffer = secret, b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        arrived = time.time()
        self._buffer += data
        while (end := self._buffer.find(b"\r\n\r\n")) >= 0:
            headers = parse_head(self._buffer[:end])
            length = int(headers.get("content-length", "0"))
            if len(self._buffer) < end + 4 + length:
                return
            body = self._buffer[end + 4 : end + 4 + length]
            self._buffer = self._buffer[end + 4 + length :]
            seen = record(self._secret, headers, body, arrived)
            sys.stdout.write(json.dumps(seen) + "\n")
            sys.stdout.flush()
            assert self._transport is not None
            self._transport.write(OK if seen["ok"] else REFUSED)


async def serve(port: int, secret: bytes) -> None:
    """Listen on loopback until killed."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Hook(secret), "127.0.0.1", port, reuse_address=True)
    print(json.dumps({"listening": port}), flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    """Parse the command line and serve."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.secret.encode()))


if __name__ == "__main__":
    main()
