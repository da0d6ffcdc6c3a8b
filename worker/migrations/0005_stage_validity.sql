-- Each stage-history row says until when it held (valid_to; far future while it still holds), so
-- the pipeline as of any instant is one index range: changed_at < T AND valid_to > T.
ALTER TABLE deal_stage_history ADD COLUMN valid_to TEXT NOT NULL DEFAULT '9999-12-31T23:59:59.999Z';

UPDATE deal_stage_history SET valid_to = coalesce(
  (SELECT n.changed_at FROM deal_stage_history n
    WHERE n.org_id = deal_stage_history.org_id AND n.deal_id = deal_stage_history.deal_id
      AND (n.changed_at > deal_stage_history.changed_at OR (n.changed_at = deal_stage_history.changed_at AND n.id > deal_stage_history.id))
    ORDER BY n.changed_at, n.id LIMIT 1),
  (SELECT d.deleted_at FROM deals d WHERE d.id = deal_stage_history.deal_id AND d.deleted_at IS NOT NULL),
  '9999-12-31T23:59:59.999Z');

CREATE INDEX deal_stage_history_valid ON deal_stage_history (org_id, valid_to, changed_at, to_stage, currency, amount_minor);
CREATE INDEX deals_expected_close ON deals (org_id, expected_close);

-- A new history row ends the one that held until then.
CREATE TRIGGER deal_stage_history_close AFTER INSERT ON deal_stage_history BEGIN
  UPDATE deal_stage_history SET valid_to = NEW.changed_at
   WHERE org_id = NEW.org_id AND deal_id = NEW.deal_id AND id != NEW.id AND changed_at <= NEW.changed_at AND valid_to > NEW.changed_at;
END;

-- A deleted deal leaves the pipeline when it is deleted; a restored one comes back from then on.
CREATE TRIGGER deals_delete_closes_history AFTER UPDATE OF deleted_at ON deals
WHEN NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL BEGIN
  UPDATE deal_stage_history SET valid_to = NEW.deleted_at WHERE org_id = NEW.org_id AND deal_id = NEW.id AND valid_to > NEW.deleted_at;
END;

CREATE TRIGGER deals_restore_reopens_history AFTER UPDATE OF deleted_at ON deals
WHEN NEW.deleted_at IS NULL AND OLD.deleted_at IS NOT NULL BEGIN
  INSERT INTO deal_stage_history (id, org_id, deal_id, from_stage, to_stage, amount_minor, currency, changed_at)
  VALUES (upper(hex(randomblob(13))), NEW.org_id, NEW.id, NEW.stage, NEW.stage, NEW.amount_minor, NEW.currency, NEW.updated_at);
END;
