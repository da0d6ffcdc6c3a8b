-- A record's ID in the system a sheet was exported from (amoCRM, Pipedrive, HubSpot, 1C...). IDs
-- are unique only within their system, so the key is (organisation, system, entity, ID): a later
-- export of the same system finds the record the first one made, and never makes a second.
CREATE TABLE external_ids (
  org_id TEXT NOT NULL,
  system TEXT NOT NULL,
  entity TEXT NOT NULL CHECK (entity IN ('lead', 'deal')),
  external_id TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  import_id TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (org_id, system, entity, external_id)
) WITHOUT ROWID;
-- A record's IDs, for the privacy erase and for a record deleted and restored.
CREATE INDEX external_ids_entity ON external_ids (org_id, entity, entity_id);

-- A deal with the same title at the same company is the same deal (a sheet without IDs).
CREATE INDEX deals_company_title ON deals (org_id, company_id, name_key) WHERE deleted_at IS NULL AND company_id IS NOT NULL;

-- Which system an import's sheet came from.
ALTER TABLE imports ADD COLUMN system TEXT;
