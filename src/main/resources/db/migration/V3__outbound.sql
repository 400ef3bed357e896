-- Outbound webhooks: endpoints (subscriptions), the outbox of messages, and every attempt.
-- A message row is written before any attempt; next_attempt_at carries the retry schedule
-- across restarts; locked_until is the lease of the instance that claimed a 'delivering' row.
-- Portable across H2 and PostgreSQL.

CREATE TABLE outbound_endpoints (
    id                   VARCHAR(36)   NOT NULL PRIMARY KEY,
    url                  VARCHAR(2000) NOT NULL,
    description          VARCHAR(1000),
    event_types          ${text_type}  NOT NULL,
    signature_scheme     VARCHAR(32)   NOT NULL,
    secret_enc           VARCHAR(1000) NOT NULL,
    previous_secret_enc  VARCHAR(1000),
    previous_valid_until TIMESTAMP WITH TIME ZONE,
    headers              ${text_type},
    timeout_seconds      INTEGER       DEFAULT 30 NOT NULL,
    enabled              BOOLEAN       DEFAULT TRUE NOT NULL,
    rate_limit           INTEGER,
    disabled_reason      VARCHAR(1000),
    failing_since        TIMESTAMP WITH TIME ZONE,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE outbound_messages (
    id               VARCHAR(36)   NOT NULL PRIMARY KEY,
    endpoint_id      VARCHAR(36)   NOT NULL REFERENCES outbound_endpoints (id) ON DELETE CASCADE,
    event_type       VARCHAR(255)  NOT NULL,
    payload          ${bytes_type} NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    attempts         INTEGER       DEFAULT 0 NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE,
    locked_until     TIMESTAMP WITH TIME ZONE,
    last_status_code INTEGER,
    last_error       VARCHAR(2000),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX outbound_messages_due_idx ON outbound_messages (status, next_attempt_at);
CREATE INDEX outbound_messages_endpoint_idx ON outbound_messages (endpoint_id, created_at);

CREATE TABLE outbound_attempts (
    message_id       VARCHAR(36)   NOT NULL REFERENCES outbound_messages (id) ON DELETE CASCADE,
    attempt          INTEGER       NOT NULL,
    at               TIMESTAMP WITH TIME ZONE NOT NULL,
    status_code      INTEGER,
    response_snippet VARCHAR(2000),
    error            VARCHAR(2000),
    duration_ms      BIGINT        NOT NULL,
    PRIMARY KEY (message_id, attempt)
);
