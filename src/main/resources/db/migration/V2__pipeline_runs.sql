-- One table for the runs of every CI source (Jenkins, GitHub Actions, GitLab CI, Azure DevOps,
-- FoundriesFactory). A run is identified by (source, job, number): every path that learns about
-- a run (webhook, poller, Git receiver) upserts on that key. Portable across H2 and PostgreSQL.

CREATE TABLE pipeline_runs (
    id           VARCHAR(36)   NOT NULL PRIMARY KEY,
    source       VARCHAR(32)   NOT NULL,
    job          VARCHAR(500)  NOT NULL,
    number       VARCHAR(100)  NOT NULL,
    status       VARCHAR(16)   NOT NULL,
    raw_status   VARCHAR(64),
    url          VARCHAR(2000),
    started_at   TIMESTAMP WITH TIME ZONE,
    duration_ms  BIGINT,
    triggered_by VARCHAR(255),
    branch       VARCHAR(255),
    commit_sha   VARCHAR(64),
    stages       ${text_type},
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pipeline_runs_run_key UNIQUE (source, job, number)
);
CREATE INDEX pipeline_runs_started_idx ON pipeline_runs (started_at, updated_at);
CREATE INDEX pipeline_runs_status_idx ON pipeline_runs (status);
