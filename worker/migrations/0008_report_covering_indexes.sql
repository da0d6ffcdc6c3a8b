-- The weekly report reads index pages only for its forecast and activity counts: the deals closing
-- in a window with their ids and owners, the stage rows holding at an instant with their deal, and
-- a week's activities by owner and type. Each replaces a narrower index, so writes keep their count.
DROP INDEX deals_expected_close;
CREATE INDEX deals_expected_close ON deals (org_id, expected_close, id, owner_id);

DROP INDEX deal_stage_history_valid;
CREATE INDEX deal_stage_history_valid ON deal_stage_history (org_id, valid_to, changed_at, to_stage, currency, amount_minor, deal_id);

DROP INDEX activities_time;
CREATE INDEX activities_time ON activities (org_id, occurred_at, owner_id, type, deleted_at);

DROP INDEX deal_stage_history_time;
CREATE INDEX deal_stage_history_time ON deal_stage_history (org_id, changed_at, to_stage, from_stage, deal_id, currency, amount_minor);
