-- Organisations, API keys and idempotency records; owners, status, regions and
-- cursor order on the postings; staff releases; the erasure audit trail.
CREATE TABLE organisations (
    id          uuid PRIMARY KEY,
    kind        text        NOT NULL CHECK (kind IN
                    ('firm', 'hub', 'agency', 'association', 'training_provider', 'admin')),
    name        text        NOT NULL,
    region_ids  text[]      NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Only the keyed digest of a key is stored; the key itself is shown once.
CREATE TABLE api_keys (
    id               uuid PRIMARY KEY,
    organisation_id  uuid        NOT NULL REFERENCES organisations (id),
    digest           bytea       NOT NULL UNIQUE,
    prefix           text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz
);

CREATE TABLE idempotency_keys (
    organisation_id  uuid        NOT NULL,
    key              text        NOT NULL,
    request_hash     bytea       NOT NULL,
    status           integer     NOT NULL,
    body             jsonb       NOT NULL,
    location         text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, key)
);

-- Rows from before tenants existed keep a NULL owner: only admins and hubs see them.
ALTER TABLE vacancies
    ADD COLUMN seq             bigserial,
    ADD COLUMN organisation_id uuid,
    ADD COLUMN status          text NOT NULL DEFAULT 'open',
    ADD COLUMN district_code   text;
CREATE UNIQUE INDEX vacancies_seq ON vacancies (seq);
CREATE INDEX vacancies_owner ON vacancies (organisation_id, seq);
CREATE INDEX vacancies_district ON vacancies (district_code, seq);

ALTER TABLE profiles
    ADD COLUMN seq                   bigserial,
    ADD COLUMN organisation_id       uuid,
    ADD COLUMN status                text    NOT NULL DEFAULT 'active',
    ADD COLUMN district_code         text,
    ADD COLUMN occupations           text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN staff_release_id      uuid,
    ADD COLUMN reference             text,
    ADD COLUMN consent_given_at      timestamptz,
    ADD COLUMN consent_scope         text;
CREATE UNIQUE INDEX profiles_seq ON profiles (seq);
CREATE INDEX profiles_owner ON profiles (organisation_id, seq);
CREATE INDEX profiles_district ON profiles (district_code, seq);
CREATE INDEX profiles_release ON profiles (staff_release_id);

CREATE TABLE staff_releases (
    id               uuid PRIMARY KEY,
    seq              bigserial   UNIQUE,
    version          integer     NOT NULL CHECK (version >= 1),
    organisation_id  uuid        NOT NULL,
    status           text        NOT NULL DEFAULT 'announced',
    postcode         char(5)     NOT NULL,
    district_code    text,
    body             jsonb       NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_releases_owner ON staff_releases (organisation_id, seq);
CREATE INDEX staff_releases_district ON staff_releases (district_code, seq);

-- Proof that an erasure happened, and nothing about the person.
CREATE TABLE erasures (
    id               bigserial PRIMARY KEY,
    profile_id       uuid        NOT NULL,
    owner_id         uuid,
    requested_by     uuid        NOT NULL,
    erased_at        timestamptz NOT NULL DEFAULT now()
);
