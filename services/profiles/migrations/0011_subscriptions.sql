-- Subscriptions to notifications. The signing secret is kept because every
-- SubscriptionUpdated carries the whole state, secret included, to the
-- notification service; the API shows it once, in the answer to the creation.
CREATE TABLE subscriptions (
    id               uuid PRIMARY KEY,
    seq              bigserial   UNIQUE,
    version          integer     NOT NULL CHECK (version >= 1),
    organisation_id  uuid        NOT NULL,
    status           text        NOT NULL DEFAULT 'active',
    signing_secret   text        NOT NULL,
    body             jsonb       NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_owner ON subscriptions (organisation_id, seq);
