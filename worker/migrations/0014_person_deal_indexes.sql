-- The erase of a person reaches the deals made for them (a converted lead's deal, a contact's
-- deal) by index, as it reaches their activities, tasks and cases (0013).
CREATE INDEX deals_contact ON deals (org_id, contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX deals_lead ON deals (org_id, lead_id) WHERE lead_id IS NOT NULL;
