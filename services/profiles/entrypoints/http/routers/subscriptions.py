"""`/v1/subscriptions`: who is told of matches and bulletins, and how."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse

from services.profiles.adapters.idempotency import StoredResponse
from services.profiles.domain.webhooks import UnsafeWebhookError
from services.profiles.entrypoints.http.dependencies import (
    Caller,
    ContainerDep,
    Filters,
    IdempotencyKey,
    IfMatch,
    claim,
)
from services.profiles.entrypoints.http.problems import ProblemError
from services.profiles.entrypoints.http.responses import page, problems, representation, respond
from services.profiles.entrypoints.http.schemas.subscriptions import (
    CancelIn,
    SubscriptionCreatedOut,
    SubscriptionIn,
    SubscriptionList,
    SubscriptionOut,
)
from services.profiles.service_layer import subscriptions
from services.profiles.service_layer.transactions import transact
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork as Uow

router = APIRouter(prefix="/v1/subscriptions", tags=["subscriptions"])
Work = Callable[[Uow], Awaitable[StoredResponse]]


def _refusing_unsafe_urls(work: Work, url: str | None) -> Work:
    async def checked(uow: Uow) -> StoredResponse:
        try:
            return await work(uow)
        except UnsafeWebhookError as exc:
            raise ProblemError(
                422, "Unsafe webhook URL", f"webhook_url: {exc}", "unsafe-webhook",
                errors=[{"field": "webhook_url", "message": str(exc), "value": url}],
            ) from exc  # fmt: skip

    return checked


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SubscriptionCreatedOut,
    responses=problems(403, 409, 422),
    summary="Subscribe to matches and bulletins",
)
async def create_subscription(
    body: SubscriptionIn,
    caller: Caller,
    c: ContainerDep,
    request: Request,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """The answer carries the webhook signing secret: the only time it is shown."""

    async def work(uow: Uow) -> StoredResponse:
        made = await subscriptions.subscribe(
            uow, c.reference, caller, body.terms(),
            allow_insecure=c.settings.allow_insecure_webhooks,
        )  # fmt: skip
        out = SubscriptionCreatedOut.created(made)
        return representation(201, out, f"/v1/subscriptions/{made.id}")

    checked = _refusing_unsafe_urls(work, body.webhook_url)
    return respond(await transact(c.uow, checked, claim(caller, key, request, body)))


@router.get(
    "",
    response_model=SubscriptionList,
    responses=problems(400, 403, 422),
    summary="List the organisation's subscriptions",
)
async def list_subscriptions(caller: Caller, c: ContainerDep, filters: Filters) -> JSONResponse:
    """Oldest first; `status` active or cancelled."""

    async def work(uow: Uow) -> StoredResponse:
        found = await subscriptions.list_subscriptions(uow, caller, filters)
        return page([SubscriptionOut.of(s) for s in found.items], found.next_after)

    return respond(await transact(c.uow, work))


@router.get(
    "/{subscription_id}",
    response_model=SubscriptionOut,
    responses=problems(403, 404),
    summary="Read a subscription",
)
async def get_subscription(subscription_id: UUID, caller: Caller, c: ContainerDep) -> JSONResponse:
    """One subscription of the organisation (without its secret)."""

    async def work(uow: Uow) -> StoredResponse:
        found = await subscriptions.get_subscription(uow, caller, subscription_id)
        return representation(200, SubscriptionOut.of(found))

    return respond(await transact(c.uow, work))


@router.put(
    "/{subscription_id}",
    response_model=SubscriptionOut,
    responses=problems(403, 404, 409, 412, 422, 428),
    summary="Replace a subscription's channel and filters",
)
async def update_subscription(
    subscription_id: UUID, body: SubscriptionIn, version: IfMatch, caller: Caller, c: ContainerDep
) -> JSONResponse:
    """Needs `If-Match`; the signing secret stays the same. Emits SubscriptionUpdated."""

    async def work(uow: Uow) -> StoredResponse:
        changed = await subscriptions.revise_subscription(
            uow, c.reference, caller, subscription_id, version, body.terms(),
            allow_insecure=c.settings.allow_insecure_webhooks,
        )  # fmt: skip
        return representation(200, SubscriptionOut.of(changed))

    return respond(await transact(c.uow, _refusing_unsafe_urls(work, body.webhook_url)))


@router.post(
    "/{subscription_id}/cancel",
    response_model=SubscriptionOut,
    responses=problems(403, 404, 409, 412, 428),
    summary="Cancel a subscription",
)
async def cancel_subscription(
    subscription_id: UUID,
    version: IfMatch,
    caller: Caller,
    c: ContainerDep,
    request: Request,
    body: CancelIn | None = None,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Needs `If-Match`; emits SubscriptionCancelled and deliveries stop."""

    async def work(uow: Uow) -> StoredResponse:
        done = await subscriptions.cancel_subscription(uow, caller, subscription_id, version)
        return representation(200, SubscriptionOut.of(done))

    sent = body or CancelIn()
    return respond(await transact(c.uow, work, claim(caller, key, request, sent)))
