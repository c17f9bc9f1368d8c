"""CloudEvents 1.0 envelope, carried in Kafka's structured content mode.

The whole event (attributes and `data`) is the JSON record value with the
`content-type: application/cloudevents+json` header, so an agency can read every
attribute from the payload alone and the record key stays the aggregate id.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, Literal
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.tracing import valid_request_id

CONTENT_TYPE = "application/cloudevents+json"
EVENT_SOURCE_PREFIX = "urn:drehscheibe:"


class EventPayload(BaseModel):
    """The `data` of an event; each subclass names its CloudEvents `type`."""

    # Unknown fields are ignored so that consumers on an older minor schema keep
    # working when a producer adds an optional field within the same version.
    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]

    version: int = Field(
        ge=1, description="Version of the aggregate after this change; increases by one per change."
    )

    def subject(self) -> str:
        """The aggregate id the event is about (the CloudEvents `subject`)."""
        raise NotImplementedError


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 event in structured JSON form."""

    model_config = ConfigDict(extra="allow")

    specversion: Literal["1.0"] = Field("1.0", description="CloudEvents version.")
    id: UUID = Field(default_factory=uuid4, description="Unique id of this event.")
    source: str = Field(description="URI of the producer, e.g. urn:drehscheibe:profiles.")
    type: str = Field(description="Event type, e.g. de.drehscheibe.vacancy.opened.v1.")
    subject: str = Field(description="Id of the aggregate the event is about.")
    time: datetime = Field(
        default_factory=lambda: datetime.now(UTC), description="When it happened."
    )
    datacontenttype: Literal["application/json"] = Field(
        "application/json", description="Media type of `data`."
    )
    data: dict[str, Any] = Field(description="The payload; its schema depends on `type`.")
    requestid: str | None = Field(
        None,
        description="Extension attribute: the X-Request-ID of the API request that caused "
        "the event, for tracing (1-128 characters of A-Z a-z 0-9 . _ : / + = @ -); "
        "absent when no request did. An unacceptable value is ignored.",
    )

    @field_validator("requestid", mode="before")
    @classmethod
    def _acceptable_or_none(cls, value: object) -> str | None:
        # A bad tracing attribute must never cost a valid event its processing.
        return valid_request_id(value)

    @classmethod
    def wrap(
        cls, payload: EventPayload, *, source: str, request_id: str | None = None
    ) -> CloudEvent:
        """Put a payload into an envelope as service `source` emits it."""
        return cls(
            source=f"{EVENT_SOURCE_PREFIX}{source}",
            type=payload.event_type,
            subject=payload.subject(),
            data=payload.model_dump(mode="json"),
            requestid=request_id,
        )

    def to_bytes(self) -> bytes:
        """The record value as it goes on the wire (without `requestid` when there is none)."""
        return self.model_dump_json(
            exclude={"requestid"} if self.requestid is None else None
        ).encode()
