-- Subscriptions as the notification service knows them (event-carried state from
-- hub.subscriptions.v1); routing reads only this table.
CREATE TABLE subscriptions (
    subscription_id   uuid PRIMARY KEY,
    version           integer NOT NULL CHECK (version >= 1),
    organisation_id   uuid NOT NULL,
    organisation_kind text NOT NULL,
    channel           text NOT NULL CHECK (channel IN ('webhook', 'email')),
    webhook_url       text,
    signing_secret    text,
    email             text,
    digest            boolean NOT NULL DEFAULT false,
    district_codes    text[] NOT NULL DEFAULT '{}',
    occupations       text[] NOT NULL DEFAULT '{}',
    min_score         double precision NOT NULL DEFAULT 0,
    event_kinds       text[] NOT NULL DEFAULT '{}',
    -- rejected: refused when it arrived (e.g. an unsafe URL); disabled: its receiver
    -- answered 410 Gone; cancelled: ended by its owner.
    status            text NOT NULL DEFAULT 'active'
                      CHECK (status IN ('active', 'rejected', 'disabled', 'cancelled')),
    status_reason     text,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_active_districts ON subscriptions USING gin (district_codes)
    WHERE status = 'active';
CREATE INDEX subscriptions_active_owner ON subscriptions (organisation_id)
    WHERE status = 'active';

-- Event ids already routed: a replayed match or bulletin is skipped whole, even if
-- subscriptions changed since (ARCHITECTURE §4: replay changes nothing).
CREATE TABLE processed_events (
    event_id     uuid PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);

-- The ledger now holds one row per (subscription, source event); rows without a
-- subscription are deliveries to the operator webhook from the settings.
ALTER TABLE deliveries
    ADD COLUMN subscription_id uuid,
    ADD COLUMN channel        text NOT NULL DEFAULT 'webhook'
                              CHECK (channel IN ('webhook', 'email')),
    -- Deliveries to one endpoint share concurrency limits and a circuit breaker.
    ADD COLUMN endpoint       text NOT NULL DEFAULT '',
    -- vacancy_id:profile_id of a match, so a retraction reaches who heard of the pair.
    ADD COLUMN pair_key       text,
    ADD COLUMN digest         boolean NOT NULL DEFAULT false,
    ADD COLUMN expires_at     timestamptz,
    -- Attempts made before the last re-drive: a re-driven delivery gets a full budget
    -- again while `attempts` (the outcome's version) keeps growing.
    ADD COLUMN attempts_before_redrive integer NOT NULL DEFAULT 0,
    -- The maximum age of a delivery counts from here: creation, or the last re-drive.
    ADD COLUMN age_from       timestamptz NOT NULL DEFAULT now();

ALTER TABLE deliveries DROP CONSTRAINT deliveries_once_per_target;
CREATE UNIQUE INDEX deliveries_once_per_subscription ON deliveries (subscription_id, source_event_id)
    WHERE subscription_id IS NOT NULL;
CREATE UNIQUE INDEX deliveries_once_per_operator_target ON deliveries (source_event_id, target_url)
    WHERE subscription_id IS NULL;
CREATE INDEX deliveries_pair ON deliveries (pair_key) WHERE pair_key IS NOT NULL;
CREATE INDEX deliveries_of_subscription ON deliveries (subscription_id, status);

DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries (next_attempt_at)
    WHERE status = 'pending' AND NOT digest;
CREATE INDEX deliveries_digest_due ON deliveries (subscription_id, next_attempt_at)
    WHERE status = 'pending' AND digest;
