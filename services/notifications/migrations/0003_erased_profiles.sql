-- Profiles erased (GDPR art. 17): ids only, so that a match of an erased profile that
-- is read after its erasure (matches and profiles arrive on different topics) is
-- never routed. The id is the pseudonymous profile id, as in the hub's audit.
CREATE TABLE erased_profiles (
    profile_id uuid        PRIMARY KEY,
    erased_at  timestamptz NOT NULL DEFAULT now()
);
