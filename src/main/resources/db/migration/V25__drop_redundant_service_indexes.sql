-- The (service_id, created_at) indexes of V1 are covered by V9's newest-first list indexes, whose leading column
-- serves every per-service lookup; no query reads them in ascending order. Each was one more index entry written
-- per delivery and per deployment, and rewritten when the row's transaction committed.
DROP INDEX IF EXISTS webhook_deliveries_service_idx;
DROP INDEX IF EXISTS deployments_service_idx;
