-- Credential-like values stored encrypted (AES-256-GCM with the hub's secret key, as secret_enc):
-- an outbound endpoint's URL (user info, tokens in path or query) and custom headers, and the
-- recipient URLs of Slack, Teams and webhook notification settings. The plain columns keep the
-- masked URL (url, recipients) or nothing (headers). The key is known only at run time, so rows
-- stored before this version are encrypted by the hub at start (OutboundStore and
-- NotificationStore.encryptPlaintext*), which then clears their plain values.
-- Portable across H2 and PostgreSQL.

ALTER TABLE outbound_endpoints ADD COLUMN url_enc ${short_text_type};
ALTER TABLE outbound_endpoints ADD COLUMN headers_enc ${short_text_type};
ALTER TABLE notification_settings ADD COLUMN recipients_enc ${short_text_type};
