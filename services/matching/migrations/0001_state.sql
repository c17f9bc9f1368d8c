-- The matcher's own state: both sides of every pair and the matches it emitted.
-- competence_ids (GIN) and lat/lon (btree) are the retrieval indexes, so an event
-- only scores the candidates that share a competence and lie within reach.
CREATE TABLE vacancies (
    id              uuid PRIMARY KEY,
    version         integer          NOT NULL,
    competence_ids  text[]           NOT NULL,
    lat             double precision NOT NULL,
    lon             double precision NOT NULL,
    radius_km       integer          NOT NULL,
    competences     jsonb            NOT NULL
);
CREATE INDEX vacancies_competences ON vacancies USING gin (competence_ids);
CREATE INDEX vacancies_location ON vacancies (lat, lon);

CREATE TABLE profiles (
    id              uuid PRIMARY KEY,
    version         integer          NOT NULL,
    competence_ids  text[]           NOT NULL,
    lat             double precision NOT NULL,
    lon             double precision NOT NULL,
    radius_km       integer          NOT NULL,
    competences     jsonb            NOT NULL
);
CREATE INDEX profiles_competences ON profiles USING gin (competence_ids);
CREATE INDEX profiles_location ON profiles (lat, lon);

CREATE TABLE matches (
    vacancy_id       uuid             NOT NULL,
    profile_id       uuid             NOT NULL,
    version          integer          NOT NULL,
    score            double precision NOT NULL,
    vacancy_version  integer          NOT NULL,
    profile_version  integer          NOT NULL,
    PRIMARY KEY (vacancy_id, profile_id)
);
CREATE INDEX matches_profile ON matches (profile_id);
