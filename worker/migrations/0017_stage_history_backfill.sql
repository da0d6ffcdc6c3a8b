-- A deal's history as a sheet gives it (created, won or lost on the sheet's dates) is written as a
-- backfill: import_id names the import that wrote the row. A closed deal whose sheet gives no
-- close date is kept with the import's time but undated = 1, so no week counts it as won or lost
-- then: the weekly report counts a historic win in its own week, never in the week of the import.
ALTER TABLE deal_stage_history ADD COLUMN import_id TEXT;
ALTER TABLE deal_stage_history ADD COLUMN undated INTEGER NOT NULL DEFAULT 0;
