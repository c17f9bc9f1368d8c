"""A webhook receiver for the local demo: verifies each signature and prints the delivery.

python -m deploy.hub.receiver --port 8088 --secret <NOTIFICATIONS_WEBHOOK_SECRET>

Besides the operator secret it accepts the signing secrets of the demo's subscriptions,
which the demo loader hands it with `POST /secrets` (it listens on loopback only).
"""

from __future__ import annotations

import argparse
import json
import time

import uvicorn
from fastapi import FastAPI, Request, Response
from pydantic import BaseModel

from services.notifications.domain.signing import verify


class SecretIn(BaseModel):
    """A further signing secret to accept."""

    secret: str


def create_receiver(secret: bytes) -> FastAPI:
    """An app that answers 204 to correctly signed deliveries and 401 to others."""
    app = FastAPI(title="Demo webhook receiver")
    secrets = [secret]

    @app.get("/readyz")
    async def ready() -> dict[str, str]:
        return {"status": "ready"}

    @app.post("/secrets", status_code=204)
    async def add_secret(body: SecretIn) -> None:
        if body.secret.encode() not in secrets:
            secrets.append(body.secret.encode())

    @app.post("/webhook")
    async def webhook(request: Request) -> Response:
        body = await request.body()
        headers = request.headers
        timestamp = int(headers.get("x-drehscheibe-timestamp", "0"))
        signature = headers.get("x-drehscheibe-signature", "")
        now = int(time.time())
        ok = any(verify(s, timestamp, body, signature, now=now) for s in secrets)
        data = json.loads(body).get("data", {}) if ok else {}
        print(
            f"webhook {'VERIFIED' if ok else 'REJECTED'} "
            f"delivery={headers.get('x-drehscheibe-delivery')} "
            f"event={headers.get('x-drehscheibe-event')} "
            f"vacancy={data.get('vacancy_id')} profile={data.get('profile_id')} "
            f"score={data.get('score')}",
            flush=True,
        )
        return Response(status_code=204 if ok else 401)

    return app


def main() -> None:
    """Serve the receiver."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8088)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()
    uvicorn.run(
        create_receiver(args.secret.encode()), host="127.0.0.1", port=args.port, log_level="warning"
    )


if __name__ == "__main__":
    main()
