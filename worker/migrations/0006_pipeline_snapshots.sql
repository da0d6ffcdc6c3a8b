-- The pipeline by owner, stage and currency at an instant that has passed, computed once from the
-- stage history and kept: a past week's report then reads a few rows instead of the history.
CREATE TABLE pipeline_snapshots (
  org_id TEXT NOT NULL,
  at TEXT NOT NULL,
  owner_id TEXT NOT NULL DEFAULT '',
  stage TEXT NOT NULL,
  currency TEXT NOT NULL,
  deals INTEGER NOT NULL,
  value_minor INTEGER NOT NULL,
  PRIMARY KEY (org_id, at, owner_id, stage, currency)
) WITHOUT ROWID;
