-- Sync jobs: configs (source -> mapping -> target), the link table that remembers what each config
-- created in its target, the durable job queue, execution history and the scheduler's own state.
-- Portable across H2 and PostgreSQL (placeholders: see store/Database.java).

CREATE TABLE sync_configs (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    name              VARCHAR(255)  NOT NULL,
    source_type       VARCHAR(64)   NOT NULL,
    source_settings   ${short_text_type} NOT NULL,
    target_type       VARCHAR(64)   NOT NULL,
    target_settings   ${short_text_type} NOT NULL,
    mapping           ${short_text_type},
    trigger_type      VARCHAR(16)   NOT NULL,
    schedule_cron     VARCHAR(255),
    is_active         BOOLEAN       DEFAULT TRUE NOT NULL,
    last_scheduled_at TIMESTAMP WITH TIME ZONE,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

-- which target item each source item became, and the hash of the mapped item last written
CREATE TABLE sync_links (
    config_id      VARCHAR(36)   NOT NULL REFERENCES sync_configs (id) ON DELETE CASCADE,
    source_item_id VARCHAR(500)  NOT NULL,
    target_item_id VARCHAR(500),
    last_hash      VARCHAR(64)   NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (config_id, source_item_id)
);

-- status: queued, running, completed, failed, interrupted (its instance stopped or stopped renewing its lease
-- while it ran; it runs again once). owner: the instance running it; heartbeat_at: renewed while it runs.
CREATE TABLE sync_jobs (
    id             VARCHAR(64)   NOT NULL PRIMARY KEY,
    job_type       VARCHAR(16)   NOT NULL,
    config_id      VARCHAR(36)   NOT NULL,
    trigger_type   VARCHAR(16)   NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    dry_run        BOOLEAN       DEFAULT FALSE NOT NULL,
    work_item_ids  ${short_text_type},
    runs           INTEGER       DEFAULT 0 NOT NULL,
    owner          VARCHAR(100),
    heartbeat_at   TIMESTAMP WITH TIME ZONE,
    execution_id   VARCHAR(36),
    result         ${short_text_type},
    error          VARCHAR(2000),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at     TIMESTAMP WITH TIME ZONE,
    completed_at   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX sync_jobs_status_idx ON sync_jobs (status, created_at);
CREATE INDEX sync_jobs_config_idx ON sync_jobs (config_id, status);

CREATE TABLE sync_executions (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    config_id     VARCHAR(36)   NOT NULL,
    job_id        VARCHAR(64),
    trigger_type  VARCHAR(16)   NOT NULL,
    status        VARCHAR(16)   NOT NULL,
    dry_run       BOOLEAN       DEFAULT FALSE NOT NULL,
    total         INTEGER       DEFAULT 0 NOT NULL,
    created       INTEGER       DEFAULT 0 NOT NULL,
    updated       INTEGER       DEFAULT 0 NOT NULL,
    unchanged     INTEGER       DEFAULT 0 NOT NULL,
    errors        INTEGER       DEFAULT 0 NOT NULL,
    items         ${short_text_type},
    error         VARCHAR(2000),
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at  TIMESTAMP WITH TIME ZONE,
    duration_ms   BIGINT
);
CREATE INDEX sync_executions_config_idx ON sync_executions (config_id, started_at);
CREATE INDEX sync_executions_started_idx ON sync_executions (started_at);

-- one row: serialises job claims and enqueues across instances (SELECT ... FOR UPDATE), and keeps
-- whether an operator stopped the scheduler
CREATE TABLE sync_control (
    id                INTEGER      NOT NULL PRIMARY KEY,
    scheduler_running BOOLEAN      DEFAULT TRUE NOT NULL,
    retention_ran_at  TIMESTAMP WITH TIME ZONE,
    retention_deleted BIGINT       DEFAULT 0 NOT NULL
);
INSERT INTO sync_control (id, scheduler_running) VALUES (1, TRUE);
