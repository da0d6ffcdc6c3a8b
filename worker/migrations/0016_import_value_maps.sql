-- What a team said an export's values mean ("Pilot Running" -> proposal, "Hannah Ashdown" -> a
-- user), per organisation and source system: the next export from the same system asks nothing.
-- field: stage, leadStatus, dealStatus, currency or owner; value_key is the value folded (case,
-- punctuation and ё/е do not matter), raw the value as first written.
CREATE TABLE import_value_maps (
  org_id TEXT NOT NULL,
  system TEXT NOT NULL,
  field TEXT NOT NULL CHECK (field IN ('stage', 'leadStatus', 'dealStatus', 'currency', 'owner')),
  value_key TEXT NOT NULL,
  raw TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT,
  PRIMARY KEY (org_id, system, field, value_key)
) WITHOUT ROWID;
