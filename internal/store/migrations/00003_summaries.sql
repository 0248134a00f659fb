-- A model's analysis (inspect's JSON with layers, tens of KB) moves out of
-- ns_models into its own table: listing models for a leaderboard read the
-- whole of it on SQLite, where rows are stored column after column
-- (bench/README.md, "netscore serve under load").

-- +goose Up
CREATE TABLE ns_summaries (
    id      TEXT PRIMARY KEY,
    summary TEXT NOT NULL
);
INSERT INTO ns_summaries (id, summary) SELECT id, summary FROM ns_models WHERE summary <> '';
UPDATE ns_models SET summary = '';

-- +goose Down
UPDATE ns_models SET summary = (SELECT s.summary FROM ns_summaries s WHERE s.id = ns_models.id)
    WHERE id IN (SELECT id FROM ns_summaries);
DROP TABLE ns_summaries;
