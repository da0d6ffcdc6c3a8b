-- Everything held about one person (the privacy export and erase) is found through indexes on the
-- contact and on its leads, instead of a walk of the organisation's activities, tasks, cases and
-- audit log. The erase reaches deleted activities too, so the contact's index covers every row.
DROP INDEX activities_contact;
CREATE INDEX activities_contact ON activities (org_id, contact_id, occurred_at);
CREATE INDEX activities_lead ON activities (org_id, lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX tasks_contact ON tasks (org_id, contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX tasks_lead ON tasks (org_id, lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX cases_contact ON cases (org_id, contact_id) WHERE contact_id IS NOT NULL;
