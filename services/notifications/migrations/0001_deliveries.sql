-- The webhook ledger: one row per (source event, target), whatever becomes of it.
CREATE TABLE deliveries (
    delivery_id     uuid PRIMARY KEY,
    source_event_id uuid NOT NULL,
    target_url      text NOT NULL,
    event_type      text NOT NULL,
    -- json, not jsonb: the exact bytes built once are what every attempt signs and sends.
    body            json NOT NULL,
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'parked')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    -- A replayed event must not produce a second delivery to the same receiver.
    CONSTRAINT deliveries_once_per_target UNIQUE (source_event_id, target_url)
);

-- The worker only ever looks for due pending rows.
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
-- Operators look for parked deliveries.
CREATE INDEX deliveries_parked ON deliveries (updated_at) WHERE status = 'parked';
