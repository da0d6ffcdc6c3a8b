-- Quotas (the sales plan) per manager per month ("2026-11") or quarter ("2026-Q4").
CREATE TABLE quotas (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' OR period GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  currency TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (org_id, user_id, period, currency)
);
CREATE INDEX quotas_period ON quotas (org_id, period);

-- Report queries read by time.
CREATE INDEX tasks_due_org ON tasks (org_id, due_at) WHERE deleted_at IS NULL;
CREATE INDEX leads_converted ON leads (org_id, converted_at) WHERE converted_at IS NOT NULL;
CREATE INDEX companies_vip_all ON companies (org_id, vip_tier) WHERE vip_tier > 0;
