-- Write tokens are held by the server in memory, as their sha256, from
-- NETSCORE_TOKEN at each start: a token taken out of it stops working at
-- the next start, which a table of stored hashes prevented.

-- +goose Up
DROP TABLE ns_tokens;

-- +goose Down
CREATE TABLE ns_tokens (
    hash       TEXT PRIMARY KEY,
    created_ms BIGINT NOT NULL
);
