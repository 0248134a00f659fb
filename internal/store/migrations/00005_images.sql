-- The number of images a model's top-1 was measured on (0: not given):
-- with it the leaderboard shows the accuracy's Wilson interval and the
-- NetScore interval it implies.

-- +goose Up
ALTER TABLE ns_models ADD COLUMN n BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE ns_models DROP COLUMN n;
