-- A complaint or proposal opened from an email remembers the message it came from, so a second
-- click on the same email answers the first case instead of making another one (one case of each
-- kind per message). Cases made by hand or by the API without a message keep it null.
ALTER TABLE cases ADD COLUMN source_message_id TEXT;
CREATE UNIQUE INDEX cases_source_message ON cases (org_id, source_message_id, kind) WHERE source_message_id IS NOT NULL;
