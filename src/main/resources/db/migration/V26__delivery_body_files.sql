-- Embedded mode keeps the bodies of accepted deliveries in append-only files under <data dir>/delivery-bodies
-- (bodies-<file>.dat) instead of webhook_delivery_payloads: the row says where. A delivery has its body in one
-- place or the other, never both; PostgreSQL mode leaves these columns empty.
ALTER TABLE webhook_deliveries ADD COLUMN body_file BIGINT;
ALTER TABLE webhook_deliveries ADD COLUMN body_offset BIGINT;
ALTER TABLE webhook_deliveries ADD COLUMN body_length INTEGER;
ALTER TABLE webhook_deliveries ADD COLUMN body_encoding VARCHAR(16);

-- How many delivery rows point into each body file, kept in the transactions that add and delete those rows:
-- retention deletes a file once its count is 0 (and a file without a row here, which no delivery points into).
CREATE TABLE delivery_body_files (
    file      BIGINT NOT NULL PRIMARY KEY,
    live_rows BIGINT NOT NULL
);
