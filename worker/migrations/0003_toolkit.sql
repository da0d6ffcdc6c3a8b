-- Step 6 · The sales manager's toolkit: cases (complaints and proposals), payments for the credit
-- card, competitors and their deal links, the per-deal document package, web-to-lead forms, and
-- the D1 rate-limit counters of the public form endpoint.
-- Business rows follow 0001: org_id, ULID id, created_at, updated_at, version, deleted_at.

-- ---- cases ----
-- priority_rank (low 1, normal 2, high 3) is derived from priority so that every list is ordered
-- "priority desc, id desc" straight from an index.
CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  kind TEXT NOT NULL CHECK (kind IN ('complaint', 'proposal')),
  subject TEXT NOT NULL,
  description TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'resolved', 'rejected')),
  priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
  priority_rank INTEGER NOT NULL DEFAULT 2,
  company_id TEXT,
  contact_id TEXT,
  deal_id TEXT,
  owner_id TEXT,
  first_response_at TEXT,
  resolved_at TEXT,
  response_minutes INTEGER,
  resolution_minutes INTEGER,
  name_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
);
CREATE INDEX cases_org ON cases (org_id, priority_rank, id) WHERE deleted_at IS NULL;
CREATE INDEX cases_status ON cases (org_id, status, priority_rank, id) WHERE deleted_at IS NULL;
CREATE INDEX cases_kind ON cases (org_id, kind, priority_rank, id) WHERE deleted_at IS NULL;
CREATE INDEX cases_company ON cases (org_id, company_id, priority_rank, id) WHERE deleted_at IS NULL;
CREATE INDEX cases_owner ON cases (org_id, owner_id, priority_rank, id) WHERE deleted_at IS NULL;
CREATE INDEX cases_deal ON cases (org_id, deal_id, priority_rank, id) WHERE deleted_at IS NULL;
CREATE INDEX cases_updated ON cases (org_id, updated_at, id);

-- ---- payments (the accounting sheet's invoices, for the credit card) ----
-- Dates are ISO calendar dates (YYYY-MM-DD); an invoice number is unique per client, so a
-- re-import of the same sheet updates rows instead of adding them.
CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  company_id TEXT NOT NULL,
  invoice_no TEXT NOT NULL,
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  currency TEXT NOT NULL,
  issued_on TEXT NOT NULL,
  due_on TEXT NOT NULL,
  paid_on TEXT,
  notes TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
);
CREATE UNIQUE INDEX payments_invoice ON payments (org_id, company_id, invoice_no);
CREATE INDEX payments_company ON payments (org_id, company_id, issued_on, id) WHERE deleted_at IS NULL;

-- ---- competitors ----
CREATE TABLE competitors (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  website TEXT,
  domain TEXT,
  notes TEXT,
  name_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
);
CREATE INDEX competitors_org ON competitors (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX competitors_updated ON competitors (org_id, updated_at, id);

-- A competitor in a deal, with its offered price; lost_to marks the one the deal was lost to.
CREATE TABLE deal_competitors (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  deal_id TEXT NOT NULL,
  competitor_id TEXT NOT NULL,
  price_minor INTEGER,
  currency TEXT,
  lost_to INTEGER NOT NULL DEFAULT 0,
  notes TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
);
CREATE UNIQUE INDEX deal_competitors_link ON deal_competitors (org_id, deal_id, competitor_id);
CREATE INDEX deal_competitors_competitor ON deal_competitors (org_id, competitor_id, deal_id) WHERE deleted_at IS NULL;

-- ---- settings (one JSON value per organisation and key, versioned for If-Match) ----
CREATE TABLE org_settings (
  org_id TEXT NOT NULL REFERENCES orgs(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL,
  updated_by TEXT,
  PRIMARY KEY (org_id, key)
) WITHOUT ROWID;

-- ---- the document package of a deal: one row per filled slot ----
CREATE TABLE deal_documents (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  deal_id TEXT NOT NULL,
  slot TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('missing', 'requested', 'received', 'approved')),
  filename TEXT,
  url TEXT,
  attachment_id TEXT,
  message_id TEXT,
  notes TEXT,
  updated_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
);
CREATE UNIQUE INDEX deal_documents_slot ON deal_documents (org_id, deal_id, slot);

-- ---- web-to-lead forms ----
-- form_key is the public, unguessable key in the form's URL (unique across organisations).
-- rr_last_user_id is the round-robin rotation: internal state, so it does not bump version.
CREATE TABLE web_forms (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  form_key TEXT NOT NULL,
  owner_id TEXT,
  allowed_origins TEXT NOT NULL DEFAULT '[]',
  active INTEGER NOT NULL DEFAULT 1,
  rr_last_user_id TEXT,
  name_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
);
CREATE UNIQUE INDEX web_forms_key ON web_forms (form_key);
CREATE INDEX web_forms_org ON web_forms (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX web_forms_updated ON web_forms (org_id, updated_at, id);

-- Round robin picks the next active manager by id.
CREATE INDEX users_role ON users (org_id, role, active, id);

-- ---- rate limits of public endpoints: one counter per key and window, shared by all isolates ----
CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX rate_limits_window ON rate_limits (window_start);
