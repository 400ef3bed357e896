-- Registered webhooks (POST /api/webhooks/register): any sender, any of the signature forms the
-- receiver checks, each accepted delivery triggering its sync config. Their deliveries live in
-- webhook_deliveries like every other sender's, with provider 'webhook' and service_id = the webhook's id.
CREATE TABLE webhooks (
    id                    VARCHAR(36)   NOT NULL PRIMARY KEY,
    name                  VARCHAR(200)  NOT NULL,
    webhook_url           VARCHAR(100)  NOT NULL UNIQUE,
    sync_config_id        VARCHAR(100),
    connector_id          VARCHAR(200),
    event_types           ${text_type},
    metadata              ${text_type},
    secret_enc            VARCHAR(512)  NOT NULL,
    previous_secret_enc   VARCHAR(512),
    previous_valid_until  TIMESTAMP WITH TIME ZONE,
    is_active             BOOLEAN       NOT NULL,
    rate_limit_per_minute INTEGER,
    trigger_count         BIGINT        NOT NULL,
    last_triggered_at     TIMESTAMP WITH TIME ZONE,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at            TIMESTAMP WITH TIME ZONE NOT NULL
);

-- per-service rate limit of the Git receivers (NULL: off)
ALTER TABLE services ADD COLUMN rate_limit_per_minute INTEGER;

-- a replayed delivery is a new row linked to the one it repeats
ALTER TABLE webhook_deliveries ADD COLUMN replay_of VARCHAR(36);
