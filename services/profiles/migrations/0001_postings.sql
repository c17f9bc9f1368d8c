-- Vacancies and qualification profiles, the hub's system of record.
-- The full posting is kept as JSON (the event payload minus envelope); the
-- columns beside it are what queries filter on.
CREATE TABLE vacancies (
    id          uuid PRIMARY KEY,
    version     integer     NOT NULL CHECK (version >= 1),
    occupation  text        NOT NULL,
    postcode    char(5)     NOT NULL,
    body        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE profiles (
    id          uuid PRIMARY KEY,
    version     integer     NOT NULL CHECK (version >= 1),
    postcode    char(5)     NOT NULL,
    body        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
