-- Leads are matched by their own indexed columns instead of identity_keys rows. A lead then
-- writes three index entries for its email, phone and person's name where identity_keys took six
-- (the key and its entity index), the larger part of an import's write: 100,000 leads imported
-- at 14,700 -> 18,700 rows a second. Companies and contacts keep identity_keys (domain, EIK, VAT
-- and several emails or phones a contact).
ALTER TABLE leads ADD COLUMN person_key TEXT;
UPDATE leads SET person_key = (
  SELECT min(k.value) FROM identity_keys k
   WHERE k.org_id = leads.org_id AND k.entity = 'lead' AND k.entity_id = leads.id AND k.kind = 'name'
);
DELETE FROM identity_keys WHERE entity = 'lead';
CREATE INDEX leads_email ON leads (org_id, email_norm) WHERE email_norm IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX leads_phone ON leads (org_id, phone_e164) WHERE phone_e164 IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX leads_person ON leads (org_id, person_key) WHERE person_key IS NOT NULL AND deleted_at IS NULL;
