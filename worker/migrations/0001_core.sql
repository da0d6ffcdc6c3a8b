-- Leadpane schema v1. Every business row: org_id, random id (ULID), created_at, updated_at,
-- version (bumped on every change) and deleted_at (soft delete, so users can undo).
-- Timestamps are ISO-8601 UTC strings; money is integer minor units plus an ISO currency code.

CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  tenant_id TEXT UNIQUE,
  settings TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  email TEXT NOT NULL,
  email_norm TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('manager', 'head', 'admin')),
  locale TEXT,
  external_id TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (org_id, email_norm)
);
CREATE INDEX users_org ON users (org_id, id);
CREATE UNIQUE INDEX users_external ON users (org_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_tokens_org ON api_tokens (org_id, user_id, id);

CREATE TABLE companies (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  legal_form TEXT,
  eik TEXT,
  vat TEXT,
  domain TEXT,
  vip_tier INTEGER NOT NULL DEFAULT 0 CHECK (vip_tier BETWEEN 0 AND 3),
  owner_id TEXT,
  phone TEXT,
  phone_e164 TEXT,
  email TEXT,
  email_norm TEXT,
  website TEXT,
  address TEXT,
  city TEXT,
  country TEXT,
  notes TEXT,
  credit_limit_minor INTEGER,
  credit_currency TEXT,
  name_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
);
CREATE INDEX companies_org ON companies (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_owner ON companies (org_id, owner_id, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_updated ON companies (org_id, updated_at, id);
CREATE INDEX companies_eik ON companies (org_id, eik) WHERE eik IS NOT NULL;
CREATE INDEX companies_vat ON companies (org_id, vat) WHERE vat IS NOT NULL;
CREATE INDEX companies_vip ON companies (org_id, vip_tier, id) WHERE deleted_at IS NULL AND vip_tier > 0;

CREATE TABLE contacts (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  company_id TEXT,
  first_name TEXT,
  middle_name TEXT,
  last_name TEXT,
  full_name TEXT NOT NULL,
  title TEXT,
  emails TEXT NOT NULL DEFAULT '[]',
  phones TEXT NOT NULL DEFAULT '[]',
  email_norm TEXT,
  phone_e164 TEXT,
  owner_id TEXT,
  notes TEXT,
  name_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
);
CREATE INDEX contacts_org ON contacts (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_owner ON contacts (org_id, owner_id, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_company ON contacts (org_id, company_id, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_updated ON contacts (org_id, updated_at, id);
CREATE INDEX contacts_email ON contacts (org_id, email_norm) WHERE email_norm IS NOT NULL;
CREATE INDEX contacts_phone ON contacts (org_id, phone_e164) WHERE phone_e164 IS NOT NULL;

CREATE TABLE leads (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  source TEXT NOT NULL CHECK (source IN ('email', 'excel', 'webform', 'manual', 'call')),
  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'working', 'qualified', 'disqualified', 'converted')),
  full_name TEXT,
  first_name TEXT,
  last_name TEXT,
  email TEXT,
  email_norm TEXT,
  phone TEXT,
  phone_e164 TEXT,
  company_name TEXT,
  title TEXT,
  website TEXT,
  eik TEXT,
  vat TEXT,
  address TEXT,
  city TEXT,
  needs TEXT,
  interest TEXT,
  notes TEXT,
  owner_id TEXT,
  external_ref TEXT,
  converted_company_id TEXT,
  converted_contact_id TEXT,
  converted_deal_id TEXT,
  converted_at TEXT,
  name_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
);
CREATE INDEX leads_org ON leads (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_owner ON leads (org_id, owner_id, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_status ON leads (org_id, status, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_updated ON leads (org_id, updated_at, id);
CREATE INDEX leads_source ON leads (org_id, source, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_created ON leads (org_id, created_at);
CREATE UNIQUE INDEX leads_external ON leads (org_id, source, external_ref) WHERE external_ref IS NOT NULL;

CREATE TABLE deals (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  company_id TEXT,
  contact_id TEXT,
  lead_id TEXT,
  title TEXT NOT NULL,
  amount_minor INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'BGN',
  stage TEXT NOT NULL CHECK (stage IN ('new', 'qualified', 'proposal', 'negotiation', 'won', 'lost')),
  probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
  expected_close TEXT,
  owner_id TEXT,
  next_step TEXT,
  lost_reason TEXT,
  competitor TEXT,
  closed_at TEXT,
  name_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
);
CREATE INDEX deals_org ON deals (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX deals_owner ON deals (org_id, owner_id, id) WHERE deleted_at IS NULL;
CREATE INDEX deals_stage ON deals (org_id, stage, id) WHERE deleted_at IS NULL;
CREATE INDEX deals_company ON deals (org_id, company_id, id) WHERE deleted_at IS NULL;
CREATE INDEX deals_updated ON deals (org_id, updated_at, id);

CREATE TABLE deal_stage_history (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  deal_id TEXT NOT NULL,
  from_stage TEXT,
  to_stage TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  currency TEXT NOT NULL,
  changed_by TEXT,
  changed_at TEXT NOT NULL
);
CREATE INDEX deal_stage_history_deal ON deal_stage_history (org_id, deal_id, changed_at);
CREATE INDEX deal_stage_history_time ON deal_stage_history (org_id, changed_at);

CREATE TABLE activities (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  type TEXT NOT NULL CHECK (type IN ('email', 'call', 'meeting', 'note')),
  subject TEXT NOT NULL,
  excerpt TEXT,
  occurred_at TEXT NOT NULL,
  direction TEXT CHECK (direction IN ('in', 'out')),
  company_id TEXT,
  contact_id TEXT,
  deal_id TEXT,
  lead_id TEXT,
  owner_id TEXT,
  external_id TEXT,
  name_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
);
CREATE INDEX activities_org ON activities (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX activities_owner ON activities (org_id, owner_id, id) WHERE deleted_at IS NULL;
CREATE INDEX activities_company ON activities (org_id, company_id, occurred_at) WHERE deleted_at IS NULL;
CREATE INDEX activities_contact ON activities (org_id, contact_id, occurred_at) WHERE deleted_at IS NULL;
CREATE INDEX activities_deal ON activities (org_id, deal_id, occurred_at) WHERE deleted_at IS NULL;
CREATE INDEX activities_updated ON activities (org_id, updated_at, id);
CREATE INDEX activities_time ON activities (org_id, occurred_at);
CREATE UNIQUE INDEX activities_external ON activities (org_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  title TEXT NOT NULL,
  notes TEXT,
  due_at TEXT,
  done INTEGER NOT NULL DEFAULT 0,
  done_at TEXT,
  assignee_id TEXT,
  company_id TEXT,
  contact_id TEXT,
  deal_id TEXT,
  lead_id TEXT,
  name_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
);
CREATE INDEX tasks_org ON tasks (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_assignee ON tasks (org_id, assignee_id, id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_due ON tasks (org_id, assignee_id, done, due_at) WHERE deleted_at IS NULL;
CREATE INDEX tasks_deal ON tasks (org_id, deal_id, id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_updated ON tasks (org_id, updated_at, id);

-- Every identity key of a company, contact or lead, normalised: email, phone (E.164), eik,
-- vat, domain, name (transliterated key). Matching is one indexed lookup per key.
CREATE TABLE identity_keys (
  org_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'eik', 'vat', 'domain', 'name')),
  value TEXT NOT NULL,
  entity TEXT NOT NULL CHECK (entity IN ('company', 'contact', 'lead')),
  entity_id TEXT NOT NULL,
  PRIMARY KEY (org_id, kind, value, entity, entity_id)
) WITHOUT ROWID;
CREATE INDEX identity_keys_entity ON identity_keys (org_id, entity, entity_id);

CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  user_id TEXT,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  details TEXT,
  at TEXT NOT NULL
);
CREATE INDEX audit_log_org ON audit_log (org_id, at);
CREATE INDEX audit_log_entity ON audit_log (org_id, entity, entity_id);

CREATE TABLE idempotency_keys (
  org_id TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
  status INTEGER,
  response TEXT,
  headers TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (org_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Stays empty: a batch inserts a 0 here to abort itself when a precondition no longer holds
-- (D1's batch is one transaction, and a failed CHECK rolls the whole batch back).
CREATE TABLE batch_assert (ok INTEGER NOT NULL CHECK (ok = 1));
