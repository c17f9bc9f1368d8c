-- Read models projected from other services' events, so that the API answers
-- without calling them. Each row keeps the version of the last event applied;
-- an event whose version is not newer changes nothing (replay-safe).

-- hub.matches.v1: one row per pair; a retraction marks the row (keeping its
-- version, so that a late older MatchFound cannot bring the pair back).
CREATE TABLE matches (
    vacancy_id               uuid        NOT NULL,
    profile_id               uuid        NOT NULL,
    seq                      bigserial   UNIQUE,
    version                  integer     NOT NULL,
    status                   text        NOT NULL CHECK (status IN ('active', 'retracted')),
    score                    double precision,
    vacancy_organisation_id  uuid,
    profile_organisation_id  uuid,
    vacancy_district_code    text,
    profile_district_code    text,
    body                     jsonb       NOT NULL,
    updated_at               timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (vacancy_id, profile_id)
);
CREATE INDEX matches_by_profile ON matches (profile_id);
CREATE INDEX matches_by_score ON matches (score DESC, seq) WHERE status = 'active';
CREATE INDEX matches_vacancy_district ON matches (vacancy_district_code) WHERE status = 'active';
CREATE INDEX matches_profile_district ON matches (profile_district_code) WHERE status = 'active';

-- hub.notifications.v1: the latest outcome of each delivery (version = attempts).
CREATE TABLE deliveries (
    delivery_id        uuid PRIMARY KEY,
    seq                bigserial   UNIQUE,
    subscription_id    uuid,
    version            integer     NOT NULL,
    status             text        NOT NULL,
    body               jsonb       NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deliveries_subscription ON deliveries (subscription_id, seq);
