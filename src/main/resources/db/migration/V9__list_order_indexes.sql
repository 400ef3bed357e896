-- Indexes in the exact order of the admin lists (newest first, id breaking ties), so a page is read from the index
-- instead of sorting every row of a busy service, and so keyset paging (?before=<cursor>) starts at the cursor.
-- H2 uses an index for ORDER BY only when the index's sort order matches; PostgreSQL reads either direction.
CREATE INDEX webhook_deliveries_service_list_idx ON webhook_deliveries (service_id, created_at DESC, id DESC);
CREATE INDEX deployments_service_list_idx ON deployments (service_id, created_at DESC, id DESC);
CREATE INDEX outbound_messages_endpoint_list_idx ON outbound_messages (endpoint_id, created_at DESC, id DESC);
CREATE INDEX notification_messages_setting_list_idx ON notification_messages (setting_id, created_at DESC, id DESC);
CREATE INDEX services_list_idx ON services (created_at DESC, id);
