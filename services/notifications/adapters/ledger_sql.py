"""SQL of the delivery ledger (table `deliveries`)."""

from __future__ import annotations

INSERT = """
INSERT INTO deliveries (delivery_id, source_event_id, target_url, event_type, body,
    subscription_id, channel, endpoint, pair_key, digest, next_attempt_at, expires_at,
    request_id)
VALUES ($1, $2, $3, $4, $5::text::json, $6, $7, $8, $9, $10, COALESCE($11, now()), $12, $13)
ON CONFLICT DO NOTHING
"""
_DUE_COLUMNS = """
    d.delivery_id, d.target_url, d.event_type, d.body::text AS body, d.attempts,
    d.subscription_id, d.source_event_id, d.channel, d.endpoint, d.attempts_before_redrive,
    extract(epoch FROM clock_timestamp() - d.age_from)::float8 AS age_s,
    coalesce(d.expires_at < clock_timestamp(), false) AS expired, d.request_id,
    (SELECT s.signing_secret FROM subscriptions AS s
     WHERE s.subscription_id = d.subscription_id) AS secret
"""
# Claiming pushes next_attempt_at forward by a lease instead of holding row locks
# during the attempt: a worker that dies mid-attempt releases its rows when the
# lease runs out, and no transaction stays open while a receiver is slow. Blocked
# endpoints ($3) are skipped; an endpoint listed in $5 gets at most its room in $6
# (its free slots, or the one trial of a half-open breaker) and any other at most
# $4, so one receiver's backlog cannot fill a claim and no row is claimed only to
# wait for a slot or be put back by a breaker.
CLAIM_DUE = f"""
WITH candidates AS (
    SELECT delivery_id, endpoint, next_attempt_at FROM deliveries
    WHERE status = 'pending' AND NOT digest AND next_attempt_at <= clock_timestamp()
      AND endpoint <> ALL($3::text[])
    ORDER BY next_attempt_at
    LIMIT $1 * 4
    FOR UPDATE SKIP LOCKED
), chosen AS (
    SELECT delivery_id FROM (
        SELECT delivery_id, next_attempt_at, coalesce(r.room, $4) AS room,
               row_number() OVER (PARTITION BY endpoint ORDER BY next_attempt_at) AS n
        FROM candidates LEFT JOIN unnest($5::text[], $6::int[]) AS r(endpoint, room)
            USING (endpoint)
    ) AS ranked
    WHERE n <= room
    ORDER BY next_attempt_at
    LIMIT $1
)
UPDATE deliveries AS d
SET next_attempt_at = clock_timestamp() + make_interval(secs => $2)
FROM chosen
WHERE d.delivery_id = chosen.delivery_id
RETURNING {_DUE_COLUMNS}
"""  # noqa: S608 -- only constant SQL fragments are interpolated
DIGESTS_DUE = """
SELECT DISTINCT subscription_id FROM deliveries
WHERE status = 'pending' AND digest AND next_attempt_at <= clock_timestamp()
LIMIT $1
"""
CLAIM_DIGEST = f"""
WITH due AS (
    SELECT delivery_id FROM deliveries
    WHERE status = 'pending' AND digest AND subscription_id = $1
      AND next_attempt_at <= clock_timestamp()
    ORDER BY created_at
    FOR UPDATE SKIP LOCKED
)
UPDATE deliveries AS d
SET next_attempt_at = clock_timestamp() + make_interval(secs => $2)
FROM due
WHERE d.delivery_id = due.delivery_id
RETURNING {_DUE_COLUMNS}
"""  # noqa: S608 -- only constant SQL fragments are interpolated
_OUTCOME_COLUMNS = """
    delivery_id, subscription_id, source_event_id, event_type, channel, status, attempts,
    last_error, next_attempt_at
"""
MARK_DELIVERED = f"""
UPDATE deliveries
SET status = 'delivered', attempts = $2, last_error = NULL,
    delivered_at = clock_timestamp(), updated_at = clock_timestamp()
WHERE delivery_id = $1 AND status = 'pending'
RETURNING {_OUTCOME_COLUMNS}
"""  # noqa: S608
SCHEDULE_RETRY = f"""
UPDATE deliveries
SET attempts = $2, last_error = $3, updated_at = clock_timestamp(),
    next_attempt_at = clock_timestamp() + make_interval(secs => $4)
WHERE delivery_id = $1 AND status = 'pending'
RETURNING {_OUTCOME_COLUMNS}
"""  # noqa: S608
PARK = f"""
UPDATE deliveries
SET status = 'parked', attempts = $2, last_error = $3, updated_at = clock_timestamp()
WHERE delivery_id = $1 AND status = 'pending'
RETURNING {_OUTCOME_COLUMNS}
"""  # noqa: S608
# The set-based forms record a whole batch of attempts in one statement each.
_D_OUTCOME_COLUMNS = """
    d.delivery_id, d.subscription_id, d.source_event_id, d.event_type, d.channel, d.status,
    d.attempts, d.last_error, d.next_attempt_at
"""
MARK_ALL_DELIVERED = f"""
UPDATE deliveries AS d
SET status = 'delivered', attempts = u.attempts, last_error = NULL,
    delivered_at = clock_timestamp(), updated_at = clock_timestamp()
FROM unnest($1::uuid[], $2::int[]) AS u(delivery_id, attempts)
WHERE d.delivery_id = u.delivery_id AND d.status = 'pending'
RETURNING {_D_OUTCOME_COLUMNS}
"""  # noqa: S608
SCHEDULE_ALL_RETRIES = f"""
UPDATE deliveries AS d
SET attempts = u.attempts, last_error = u.error, updated_at = clock_timestamp(),
    next_attempt_at = clock_timestamp() + make_interval(secs => u.delay_s)
FROM unnest($1::uuid[], $2::int[], $3::text[], $4::float8[])
    AS u(delivery_id, attempts, error, delay_s)
WHERE d.delivery_id = u.delivery_id AND d.status = 'pending'
RETURNING {_D_OUTCOME_COLUMNS}
"""  # noqa: S608
PARK_ALL = f"""
UPDATE deliveries AS d
SET status = 'parked', attempts = u.attempts, last_error = u.error, updated_at = clock_timestamp()
FROM unnest($1::uuid[], $2::int[], $3::text[]) AS u(delivery_id, attempts, error)
WHERE d.delivery_id = u.delivery_id AND d.status = 'pending'
RETURNING {_D_OUTCOME_COLUMNS}
"""  # noqa: S608
# Parking without an attempt still counts one, so the published outcome's version
# (= attempts) rises above every outcome published for the delivery before.
PARK_ALL_PENDING = f"""
UPDATE deliveries
SET status = 'parked', attempts = attempts + 1, last_error = $2, updated_at = clock_timestamp()
WHERE subscription_id = $1 AND status = 'pending'
RETURNING {_OUTCOME_COLUMNS}
"""  # noqa: S608
POSTPONE = """
UPDATE deliveries SET next_attempt_at = clock_timestamp() + make_interval(secs => $2)
WHERE delivery_id = $1 AND status = 'pending'
"""
REDRIVE = f"""
UPDATE deliveries AS d
SET status = 'pending', attempts_before_redrive = attempts, age_from = clock_timestamp(),
    next_attempt_at = clock_timestamp(), updated_at = clock_timestamp()
WHERE delivery_id = $1 AND status = 'parked'
  AND (subscription_id IS NULL OR EXISTS (
      SELECT 1 FROM subscriptions AS s
      WHERE s.subscription_id = d.subscription_id AND s.status = 'active'))
RETURNING {_OUTCOME_COLUMNS}
"""  # noqa: S608
STATUS_OF = """
SELECT d.status, s.status AS subscription_status FROM deliveries AS d
LEFT JOIN subscriptions AS s USING (subscription_id) WHERE d.delivery_id = $1
"""
RETARGET_PENDING = """
UPDATE deliveries SET target_url = $2, endpoint = $3, channel = $4
WHERE subscription_id = $1 AND status = 'pending'
"""
MARK_PROCESSED = """
INSERT INTO processed_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING
"""
MARK_ALL_PROCESSED = """
INSERT INTO processed_events (event_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING
RETURNING event_id
"""
