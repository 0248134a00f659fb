-- The served leaderboard's tables. One file for SQLite and PostgreSQL:
-- only types both read the same way (TEXT, BIGINT, INTEGER, DOUBLE
-- PRECISION); times are Unix milliseconds, flags 0/1.

-- +goose Up
CREATE TABLE ns_models (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        BIGINT NOT NULL,
    top1        DOUBLE PRECISION NOT NULL,
    top5        DOUBLE PRECISION NOT NULL DEFAULT 0,
    task        TEXT NOT NULL DEFAULT '',
    tags        TEXT NOT NULL DEFAULT '',
    input       TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL,
    error       TEXT NOT NULL DEFAULT '',
    format      TEXT NOT NULL DEFAULT '',
    params      BIGINT NOT NULL DEFAULT 0,
    macs        BIGINT NOT NULL DEFAULT 0,
    complete    INTEGER NOT NULL DEFAULT 0,
    coverage    DOUBLE PRECISION NOT NULL DEFAULT 0,
    shapes      TEXT NOT NULL DEFAULT '',
    summary     TEXT NOT NULL DEFAULT '',
    analyses    INTEGER NOT NULL DEFAULT 0,
    created_ms  BIGINT NOT NULL,
    analysed_ms BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX ns_models_state ON ns_models (state);
CREATE INDEX ns_models_sha256 ON ns_models (sha256);

CREATE TABLE ns_tokens (
    hash       TEXT PRIMARY KEY,
    created_ms BIGINT NOT NULL
);

-- +goose Down
DROP TABLE ns_tokens;
DROP TABLE ns_models;
