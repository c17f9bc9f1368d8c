-- The agency inbox (docs/inbox.md).
-- Signing secrets: only their ids are stored. Each secret is derived from the
-- server-side PROFILES_INBOX_SIGNING_KEY and its id, so this table alone reveals
-- nothing that could sign a record.
CREATE TABLE inbox_secrets (
    id               uuid PRIMARY KEY,
    organisation_id  uuid        NOT NULL REFERENCES organisations (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz
);
CREATE INDEX inbox_secrets_active ON inbox_secrets (organisation_id) WHERE revoked_at IS NULL;

-- A producer's own (external) id of an aggregate, the hub's id for it, and the
-- producer's last version applied (older versions are ignored).
CREATE TABLE inbox_aggregates (
    organisation_id   uuid    NOT NULL,
    kind              text    NOT NULL CHECK (kind IN ('vacancy', 'profile', 'bulletin')),
    external_id       text    NOT NULL,
    aggregate_id      uuid    NOT NULL UNIQUE,
    external_version  integer NOT NULL,
    PRIMARY KEY (organisation_id, kind, external_id)
);

-- CloudEvent ids applied per producer: a redelivered record changes nothing.
CREATE TABLE inbox_events (
    organisation_id  uuid        NOT NULL,
    event_id         uuid        NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, event_id)
);
