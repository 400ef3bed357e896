-- Deployments past 'pending': the image built and the one it replaced, each phase's start and end,
-- the error (or why a deployment waits), which hub instance works it, and its build log.
-- services.active_deployment_id is the per-service claim: a deployment starts only by setting it
-- from NULL (one row update, so one deployment per service at a time, across hub instances).
ALTER TABLE deployments ADD COLUMN image VARCHAR(500);
ALTER TABLE deployments ADD COLUMN previous_image VARCHAR(500);
ALTER TABLE deployments ADD COLUMN error VARCHAR(2000);
ALTER TABLE deployments ADD COLUMN claimed_by VARCHAR(100);
ALTER TABLE deployments ADD COLUMN build_started_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE deployments ADD COLUMN build_finished_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE deployments ADD COLUMN deploy_started_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE deployments ADD COLUMN deploy_finished_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE deployments ADD COLUMN rollback_started_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE deployments ADD COLUMN rollback_finished_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE deployments ADD COLUMN finished_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX deployments_status_idx ON deployments (status, created_at);

ALTER TABLE services ADD COLUMN active_deployment_id VARCHAR(36);
ALTER TABLE services ADD COLUMN current_image VARCHAR(500);

CREATE TABLE deployment_logs (
    deployment_id VARCHAR(36) NOT NULL PRIMARY KEY REFERENCES deployments (id) ON DELETE CASCADE,
    content       ${text_type},
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
