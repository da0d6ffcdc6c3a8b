-- Lookups that walked the whole organisation now search an index.
--
-- Everything held about one person (the privacy export and erase) is found through the contact and
-- its leads. The erase reaches deleted activities too, so the contact's index covers every row; it
-- ends in id, so a list of a contact's activities (newest first by id) reads it in order as well.
DROP INDEX activities_contact;
CREATE INDEX activities_contact ON activities (org_id, contact_id, id);
CREATE INDEX activities_lead ON activities (org_id, lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX tasks_contact ON tasks (org_id, contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX tasks_lead ON tasks (org_id, lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX cases_contact ON cases (org_id, contact_id) WHERE contact_id IS NOT NULL;
-- A company's or a deal's activities, newest first: the existing indexes end in occurred_at (for
-- the last contact), so SQLite walked the organisation's activities by id and checked each one.
CREATE INDEX activities_company_list ON activities (org_id, company_id, id) WHERE deleted_at IS NULL;
CREATE INDEX activities_deal_list ON activities (org_id, deal_id, id) WHERE deleted_at IS NULL;
-- The erase also clears deleted leads that share the person's email or phone.
CREATE INDEX leads_email_deleted ON leads (org_id, email_norm) WHERE email_norm IS NOT NULL AND deleted_at IS NOT NULL;
CREATE INDEX leads_phone_deleted ON leads (org_id, phone_e164) WHERE phone_e164 IS NOT NULL AND deleted_at IS NOT NULL;
