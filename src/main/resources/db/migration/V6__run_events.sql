-- Events for pipeline runs (build_started, build_completed/build_failed on the bus; build.completed
-- out through the outbound engine) are raised by a poller from the store, so a run that reaches
-- a final status is announced even when the hub stops right after storing it. events_due is set
-- by every status change; events_status is the status events were last raised for. Existing runs
-- start as not due, so an upgrade does not announce old builds.
ALTER TABLE pipeline_runs ADD COLUMN events_due BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE pipeline_runs ADD COLUMN events_status VARCHAR(16);
CREATE INDEX pipeline_runs_events_due_idx ON pipeline_runs (events_due);
