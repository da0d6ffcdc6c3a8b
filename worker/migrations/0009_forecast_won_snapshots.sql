-- Two more aggregates of a passed instant, computed once like pipeline_snapshots: the weighted
-- forecast of the deals open then (by expected close within 4 weeks and within the quarter) and
-- the amounts won in the month and quarter up to it. A past week's report then reads a few rows
-- where it would scan the open pipeline and the quarter's stage history on every request.
-- A row with stage '' (forecast) or currency '' (won) marks an instant as computed.
CREATE TABLE forecast_snapshots (
  org_id TEXT NOT NULL,
  at TEXT NOT NULL,
  owner_id TEXT NOT NULL DEFAULT '',
  stage TEXT NOT NULL,
  currency TEXT NOT NULL,
  in4w INTEGER NOT NULL,
  in_quarter INTEGER NOT NULL,
  deals INTEGER NOT NULL,
  value_minor INTEGER NOT NULL,
  weighted_minor INTEGER NOT NULL,
  PRIMARY KEY (org_id, at, owner_id, stage, currency, in4w, in_quarter)
) WITHOUT ROWID;

CREATE TABLE won_snapshots (
  org_id TEXT NOT NULL,
  at TEXT NOT NULL,
  owner_id TEXT NOT NULL DEFAULT '',
  currency TEXT NOT NULL,
  in_month INTEGER NOT NULL,
  value_minor INTEGER NOT NULL,
  PRIMARY KEY (org_id, at, owner_id, currency, in_month)
) WITHOUT ROWID;
