-- A call-back request and its missed-call entry are one pair, linked by the work item's id (not
-- by the caller's number): a number that asked twice has two call-backs, each finished on its
-- own. A caller's missed calls still fold into one open entry per number, so the one-open-entry
-- rule now holds for entries with no call-back work.
ALTER TABLE missed_calls ADD COLUMN work_item_id uuid REFERENCES work_items(id);
UPDATE missed_calls m SET work_item_id = w.id
  FROM work_items w
  WHERE m.done_at IS NULL AND w.tenant_id = m.tenant_id AND w.call_id = m.last_call_id AND w.kind = 'callback';
CREATE UNIQUE INDEX missed_calls_work_item_idx ON missed_calls (work_item_id) WHERE work_item_id IS NOT NULL;
DROP INDEX missed_calls_open_number_idx;
CREATE UNIQUE INDEX missed_calls_open_number_idx ON missed_calls (tenant_id, number) WHERE done_at IS NULL AND work_item_id IS NULL;
CREATE INDEX missed_calls_open_by_number_idx ON missed_calls (tenant_id, number) WHERE done_at IS NULL;
