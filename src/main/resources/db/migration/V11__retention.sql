-- Retention deletes idempotency keys by age (store/DeliveryRetention); old deliveries are found
-- through webhook_deliveries_status_idx (status, created_at).
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
