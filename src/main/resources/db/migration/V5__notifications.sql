-- Notifications: settings (who hears about which events, over which channel, for which scope)
-- and the e-mail outbox. An e-mail row is written before any attempt; next_attempt_at carries
-- the retry schedule across restarts; locked_until is the lease of the instance sending it.
-- Slack, Teams and webhook channels go through the outbound outbox (outbound_messages).
-- Portable across H2 and PostgreSQL (placeholders: see store/Database.java).

CREATE TABLE notification_settings (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    notification_type VARCHAR(16)   NOT NULL,
    event_triggers    VARCHAR(2000) NOT NULL,
    recipients        ${short_text_type} NOT NULL,
    settings          ${short_text_type},
    is_active         BOOLEAN       DEFAULT TRUE NOT NULL,
    service_id        VARCHAR(36)   REFERENCES services (id) ON DELETE CASCADE,
    sync_config_id    VARCHAR(100),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX notification_settings_service_idx ON notification_settings (service_id);
CREATE INDEX notification_settings_sync_idx ON notification_settings (sync_config_id);

CREATE TABLE notification_messages (
    id              VARCHAR(36)   NOT NULL PRIMARY KEY,
    setting_id      VARCHAR(36)   REFERENCES notification_settings (id) ON DELETE CASCADE,
    event_id        VARCHAR(36),
    event_type      VARCHAR(64)   NOT NULL,
    subject_key     VARCHAR(255),
    recipients      ${short_text_type} NOT NULL,
    subject         VARCHAR(1000) NOT NULL,
    body_text       ${short_text_type} NOT NULL,
    body_html       ${short_text_type},
    status          VARCHAR(16)   NOT NULL,
    attempts        INTEGER       DEFAULT 0 NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    locked_until    TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(2000),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at         TIMESTAMP WITH TIME ZONE
);
CREATE INDEX notification_messages_due_idx ON notification_messages (status, next_attempt_at);
CREATE INDEX notification_messages_setting_idx ON notification_messages (setting_id, created_at);
