-- A caller who leaves the queue with a voicemail or asks for a call-back keeps their work item:
-- it stays in its queue (its place, enqueued_at, kept) as work on the call's ticket, with the
-- call record it came from (the number to dial back is the record's from_number).
ALTER TABLE work_items ADD COLUMN kind text NOT NULL DEFAULT 'contact' CHECK (kind IN ('contact', 'voicemail', 'callback'));
ALTER TABLE work_items ADD COLUMN call_id uuid REFERENCES calls(id);
CREATE INDEX work_items_call_backs_idx ON work_items (tenant_id, enqueued_at) WHERE kind <> 'contact' AND state IN ('waiting', 'offered', 'assigned');
