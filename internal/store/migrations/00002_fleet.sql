-- The device fleet: workers register their device; every measurement a
-- job made is kept under the job's id, so a job run twice (a worker that
-- died after measuring) counts once.

-- +goose Up
CREATE TABLE ns_devices (
    name          TEXT PRIMARY KEY,
    labels        TEXT NOT NULL DEFAULT '',
    fingerprint   TEXT NOT NULL DEFAULT '',
    registered_ms BIGINT NOT NULL,
    heartbeat_ms  BIGINT NOT NULL
);

CREATE TABLE ns_results (
    job_id     BIGINT PRIMARY KEY,
    kind       TEXT NOT NULL,
    model_id   TEXT NOT NULL,
    device     TEXT NOT NULL,
    batch      TEXT NOT NULL DEFAULT '',
    shard      INTEGER NOT NULL DEFAULT 0,
    shards     INTEGER NOT NULL DEFAULT 1,
    result     TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX ns_results_model ON ns_results (model_id);
CREATE INDEX ns_results_batch ON ns_results (batch);

-- +goose Down
DROP TABLE ns_results;
DROP TABLE ns_devices;
