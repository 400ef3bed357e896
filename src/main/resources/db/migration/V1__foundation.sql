-- Foundation schema: services, their webhook secrets, the delivery log (durable inbox),
-- deployments, and the idempotency repository. Portable across H2 and PostgreSQL; the column
-- types that differ are Flyway placeholders set per database (see store/Database.java):
-- ${text_type} unbounded text, ${short_text_type} text stored in the row (up to 1,000,000
-- characters), ${bytes_type} bytes stored in the row (up to 1,000,000), ${blob_type} large bytes.

CREATE TABLE services (
    id             VARCHAR(36)   NOT NULL PRIMARY KEY,
    name           VARCHAR(200)  NOT NULL,
    git_repository VARCHAR(1000),
    git_branch     VARCHAR(255)  NOT NULL,
    build_config   ${text_type},
    status         VARCHAR(32)   NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE service_webhook_secrets (
    service_id           VARCHAR(36)  NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    provider             VARCHAR(32)  NOT NULL,
    secret_enc           VARCHAR(512) NOT NULL,
    previous_secret_enc  VARCHAR(512),
    previous_valid_until TIMESTAMP WITH TIME ZONE,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    rotated_at           TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (service_id, provider)
);

CREATE TABLE webhook_deliveries (
    id                 VARCHAR(36)   NOT NULL PRIMARY KEY,
    provider           VARCHAR(32)   NOT NULL,
    service_id         VARCHAR(100),
    delivery_id        VARCHAR(255),
    event_type         VARCHAR(255),
    payload_size       BIGINT,
    payload_truncated  BOOLEAN       NOT NULL,
    headers            ${short_text_type},
    signature_valid    BOOLEAN,
    status             VARCHAR(16)   NOT NULL,
    response_code      INTEGER       NOT NULL,
    processing_time_ms INTEGER,
    event              ${short_text_type},
    error              VARCHAR(1000),
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    processed_at       TIMESTAMP WITH TIME ZONE
);
CREATE INDEX webhook_deliveries_status_idx ON webhook_deliveries (status, created_at);
CREATE INDEX webhook_deliveries_service_idx ON webhook_deliveries (service_id, created_at);

-- Raw bodies, written once and never updated (kept apart so status updates stay cheap).
-- Bodies up to 1,000,000 bytes are stored in the row, larger ones as a large object.
CREATE TABLE webhook_delivery_payloads (
    delivery_id VARCHAR(36) NOT NULL PRIMARY KEY,
    body        ${bytes_type},
    body_large  ${blob_type}
);

CREATE TABLE deployments (
    id             VARCHAR(36)   NOT NULL PRIMARY KEY,
    service_id     VARCHAR(36)   NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    delivery_id    VARCHAR(36)   NOT NULL UNIQUE,
    provider       VARCHAR(32)   NOT NULL,
    status         VARCHAR(32)   NOT NULL,
    commit_sha     VARCHAR(64),
    branch         VARCHAR(255),
    commit_message ${text_type},
    author         VARCHAR(255),
    repository_url VARCHAR(1000),
    compare_url    VARCHAR(1000),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX deployments_service_idx ON deployments (service_id, created_at);

-- Keys of deliveries already taken in (provider:service:delivery-id). Written in the same
-- transaction as the delivery row, so a key never exists without its delivery.
CREATE TABLE idempotency_keys (
    processor_name VARCHAR(64)  NOT NULL,
    message_id     VARCHAR(512) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (processor_name, message_id)
);
