-- Bulletins of associations and agencies. Empty target arrays mean "everyone".
CREATE TABLE bulletins (
    id                      uuid PRIMARY KEY,
    seq                     bigserial   UNIQUE,
    version                 integer     NOT NULL CHECK (version >= 1),
    organisation_id         uuid        NOT NULL,
    target_district_codes   text[]      NOT NULL DEFAULT '{}',
    target_kinds            text[]      NOT NULL DEFAULT '{}',
    target_occupations      text[]      NOT NULL DEFAULT '{}',
    category                text        NOT NULL,
    valid_from              timestamptz,
    valid_until             timestamptz,
    body                    jsonb       NOT NULL,
    created_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bulletins_owner ON bulletins (organisation_id, seq);
CREATE INDEX bulletins_districts ON bulletins USING gin (target_district_codes);
