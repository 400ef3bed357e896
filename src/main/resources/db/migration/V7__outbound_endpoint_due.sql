-- The dispatcher claims due messages per endpoint (so a dead endpoint's backlog cannot hide other
-- endpoints' messages) and each sender goes on with its endpoint's next due message.
CREATE INDEX outbound_messages_endpoint_due_idx ON outbound_messages (endpoint_id, status, next_attempt_at);
