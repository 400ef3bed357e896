-- Delivery bodies may be stored compressed: encoding is NULL for a body stored as received and
-- 'deflate' for the zlib format (RFC 1950, as HTTP's "deflate"). See store/StoredPayload.
ALTER TABLE webhook_delivery_payloads ADD COLUMN encoding VARCHAR(16);
