-- Pipeline results: the stage reports of each pipeline, assembled into the pipeline_complete
-- document on completion; and what the built-in receiver POST /webhook/results took in.
-- A pipeline row is 'open' until completed; completion stores the document that was sent and
-- writes its outbox rows in the same transaction. Portable across H2 and PostgreSQL.

CREATE TABLE pipeline_results (
    pipeline_id      VARCHAR(255) NOT NULL PRIMARY KEY,
    state            VARCHAR(16)  NOT NULL,
    pipeline_fields  ${text_type} NOT NULL,
    build_results    ${text_type},
    analysis_results ${text_type},
    fix_results      ${text_type},
    test_results     ${text_type},
    default_start_at TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at     TIMESTAMP WITH TIME ZONE,
    pipeline_status  VARCHAR(16),
    document         ${text_type}
);
CREATE INDEX pipeline_results_state_idx ON pipeline_results (state, updated_at);

CREATE TABLE received_results (
    id                 VARCHAR(36)  NOT NULL PRIMARY KEY,
    received_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    message_id         VARCHAR(255),
    event_type         VARCHAR(255),
    pipeline_id        VARCHAR(255),
    signature_verified BOOLEAN      NOT NULL,
    headers            ${text_type} NOT NULL,
    body               ${text_type} NOT NULL
);
-- the sender's message id (webhook-id / X-Webhook-Hub-Message-Id): a redelivery is stored once
CREATE UNIQUE INDEX received_results_message_idx ON received_results (message_id);
CREATE INDEX received_results_time_idx ON received_results (received_at);
CREATE INDEX received_results_pipeline_idx ON received_results (pipeline_id, received_at);
