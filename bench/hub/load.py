"""Open-loop load through the HTTP API: postings leave on a fixed schedule, whether or not
earlier ones were answered, so a slow hub shows as latency instead of a slower client."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field

import aiohttp

from bench.hub.postings import Posting, Postings

PROBLEM = "application/problem+json"


@dataclass(frozen=True, slots=True)
class Ack:
    """The API's answer to one posting (status 0: no answer at all)."""

    kind: str
    sent: float  # wall clock
    answered: float  # wall clock
    status: int
    ids: tuple[str, ...] = ()  # the vacancy, or the people's profile ids
    aggregate_id: str | None = None  # the vacancy or the staff release
    content_type: str = ""  # of an error answer
    detail: str = ""  # the start of an error answer's body


@dataclass
class Loader:
    """Posts from a stream of postings with one API key; remembers every answer."""

    api: str
    key: str
    postings: Postings
    max_in_flight: int = 2000
    acks: list[Ack] = field(default_factory=list)
    skipped: int = 0  # postings not sent because max_in_flight were outstanding
    _session: aiohttp.ClientSession | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def __aenter__(self) -> Loader:
        connector = aiohttp.TCPConnector(limit=self.max_in_flight)
        timeout = aiohttp.ClientTimeout(total=30)
        self._session = aiohttp.ClientSession(connector=connector, timeout=timeout)
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.drain()
        assert self._session is not None
        await self._session.close()

    async def run(self, rate: float, seconds: float, stop: asyncio.Event | None = None) -> None:
        """Send `rate` postings per second for `seconds` (or until `stop` is set)."""
        began, i = time.monotonic(), 0
        while (stop is None or not stop.is_set()) and i < rate * seconds:
            due = began + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)  # the schedule itself, not synchronisation
            i += 1
            if len(self._tasks) >= self.max_in_flight:
                self.skipped += 1
                continue
            task = asyncio.create_task(self._post(self.postings.next()))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for every outstanding request to be answered or to time out."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _post(self, posting: Posting) -> None:
        assert self._session is not None
        headers = {"Authorization": f"Bearer {self.key}", "Idempotency-Key": str(uuid.uuid4())}
        sent = time.time()
        try:
            async with self._session.post(
                self.api + posting.path, json=posting.body, headers=headers
            ) as response:
                answered, status = time.time(), response.status
                if status != 201:
                    # An error answer must be RFC 9457 problem details; note any that is not.
                    kind, text = response.content_type, (await response.text())[:120]
                    self.acks.append(
                        Ack(posting.kind, sent, answered, status, content_type=kind, detail=text)
                    )
                    return
                body = await response.json()
        except (aiohttp.ClientError, TimeoutError):
            self.acks.append(Ack(posting.kind, sent, time.time(), 0))
            return
        ids = (body["id"],) if posting.kind == "vacancy" else tuple(body["profile_ids"])
        self.acks.append(Ack(posting.kind, sent, answered, status, ids, body["id"]))


def not_problem_details(acks: list[Ack]) -> list[Ack]:
    """Error answers that were not application/problem+json."""
    return [a for a in acks if a.status not in (0, 201) and a.content_type != PROBLEM]


def acknowledged(acks: list[Ack]) -> list[Ack]:
    """The postings the API confirmed (201)."""
    return [a for a in acks if a.status == 201]
