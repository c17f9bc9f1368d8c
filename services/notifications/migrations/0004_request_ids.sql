-- The request id of the API request a delivery traces back to (sent as X-Request-ID).
ALTER TABLE deliveries ADD COLUMN request_id text;
