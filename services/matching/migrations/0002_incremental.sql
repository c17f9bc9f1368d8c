-- Incremental matching: each side is stored as the event that last changed it
-- (body NULL once closed, withdrawn or erased, version kept so stale events are
-- recognised); every write takes a number from change_seq so that a replica can
-- catch up with what another one wrote. Retrieval happens in memory (the index is
-- rebuilt from these tables at start-up), so the old retrieval indexes go.
CREATE SEQUENCE change_seq;

DROP INDEX IF EXISTS vacancies_competences;
DROP INDEX IF EXISTS vacancies_location;
DROP INDEX IF EXISTS profiles_competences;
DROP INDEX IF EXISTS profiles_location;

ALTER TABLE vacancies
    DROP COLUMN competence_ids, DROP COLUMN lat, DROP COLUMN lon,
    DROP COLUMN radius_km, DROP COLUMN competences,
    ADD COLUMN body jsonb,
    ADD COLUMN seq bigint NOT NULL DEFAULT nextval('change_seq');
ALTER TABLE profiles
    DROP COLUMN competence_ids, DROP COLUMN lat, DROP COLUMN lon,
    DROP COLUMN radius_km, DROP COLUMN competences,
    ADD COLUMN body jsonb,
    ADD COLUMN seq bigint NOT NULL DEFAULT nextval('change_seq');

CREATE TABLE offers (
    id       uuid    PRIMARY KEY,
    version  integer NOT NULL,
    body     jsonb,
    seq      bigint  NOT NULL DEFAULT nextval('change_seq')
);

-- A vacancy's best eligible profiles (top k plus reserve): [[score, profile id], ...].
CREATE TABLE rows (
    vacancy_id  uuid    PRIMARY KEY,
    entries     jsonb,
    truncated   boolean NOT NULL,
    seq         bigint  NOT NULL DEFAULT nextval('change_seq')
);

ALTER TABLE matches
    DROP COLUMN score, DROP COLUMN vacancy_version, DROP COLUMN profile_version,
    ADD COLUMN fingerprint text NOT NULL DEFAULT '',
    ADD COLUMN active boolean NOT NULL DEFAULT true,
    ADD COLUMN seq bigint NOT NULL DEFAULT nextval('change_seq');

CREATE INDEX vacancies_seq ON vacancies (seq);
CREATE INDEX profiles_seq ON profiles (seq);
CREATE INDEX offers_seq ON offers (seq);
CREATE INDEX rows_seq ON rows (seq);
CREATE INDEX matches_seq ON matches (seq);
