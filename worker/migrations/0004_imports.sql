-- Imports of sheets as leads or deals: resumable, idempotent per chunk number, with a result per row.
CREATE TABLE imports (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('leads', 'deals')),
  mode TEXT NOT NULL CHECK (mode IN ('create', 'update', 'skip')),
  file_name TEXT,
  mapping TEXT NOT NULL,
  options TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  rows_expected INTEGER,
  created_count INTEGER NOT NULL DEFAULT 0,
  updated_count INTEGER NOT NULL DEFAULT 0,
  skipped_count INTEGER NOT NULL DEFAULT 0,
  error_count INTEGER NOT NULL DEFAULT 0,
  chunk_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX imports_org ON imports (org_id, id);

-- One row per applied chunk: its primary key is what makes a re-sent chunk a no-op.
CREATE TABLE import_chunks (
  org_id TEXT NOT NULL,
  import_id TEXT NOT NULL,
  chunk_no INTEGER NOT NULL,
  first_row INTEGER NOT NULL,
  row_count INTEGER NOT NULL,
  created_count INTEGER NOT NULL,
  updated_count INTEGER NOT NULL,
  skipped_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (org_id, import_id, chunk_no)
) WITHOUT ROWID;

CREATE TABLE import_rows (
  org_id TEXT NOT NULL,
  import_id TEXT NOT NULL,
  row_no INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('created', 'updated', 'skipped', 'error')),
  entity_id TEXT,
  errors TEXT,
  PRIMARY KEY (org_id, import_id, row_no)
) WITHOUT ROWID;
CREATE INDEX import_rows_status ON import_rows (org_id, import_id, status, row_no);
