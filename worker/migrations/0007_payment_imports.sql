-- The import flow also takes an accounting sheet: kind 'payments' (invoices matched to clients).
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt with its rows.
CREATE TABLE imports_next (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('leads', 'deals', 'payments')),
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
INSERT INTO imports_next SELECT id, org_id, user_id, kind, mode, file_name, mapping, options, status, rows_expected, created_count,
  updated_count, skipped_count, error_count, chunk_count, created_at, updated_at, version FROM imports;
DROP TABLE imports;
ALTER TABLE imports_next RENAME TO imports;
CREATE INDEX imports_org ON imports (org_id, id);
