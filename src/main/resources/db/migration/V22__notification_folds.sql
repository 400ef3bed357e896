-- Notification folding shared by every hub instance on the database (notify/NotificationDedupe): one row per
-- folding key (a SHA-256 of event type, subject, status, deployment, commit, execution) holding the end of its
-- window. The instance that inserts the row, or moves an expired window forward, sends; the others fold.
CREATE TABLE notification_folds (
    fold_key   VARCHAR(64) NOT NULL PRIMARY KEY,
    expires_at BIGINT      NOT NULL
);
CREATE INDEX idx_notification_folds_expires ON notification_folds (expires_at);
