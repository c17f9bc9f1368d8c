-- Erasure removes a profile's earlier match events from the outbox (sent or not):
-- match keys are `vacancy_id:profile_id`, so look them up by their second half.
CREATE INDEX outbox_profile_of_key ON outbox (split_part(key, ':', 2));
