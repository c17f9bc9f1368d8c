-- The training catalogue: offers posted by training providers and associations.
-- The offer is kept as its event payload; the columns beside it are what lists filter on.
CREATE TABLE training_offers (
    id               uuid PRIMARY KEY,
    seq              bigserial   UNIQUE,
    version          integer     NOT NULL CHECK (version >= 1),
    organisation_id  uuid        NOT NULL,
    status           text        NOT NULL DEFAULT 'active',
    postcode         char(5),
    district_code    text,
    competence_ids   text[]      NOT NULL,
    body             jsonb       NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX training_offers_owner ON training_offers (organisation_id, seq);
CREATE INDEX training_offers_district ON training_offers (district_code, seq);
