-- An agent's call out is work they hold (kind outbound): it counts against their voice capacity
-- and makes them busy while it lasts, then wrap-up, as an answered call does; queue statistics
-- (waiting, answered, abandoned) leave it out, since it never waited in a queue.
ALTER TABLE work_items DROP CONSTRAINT work_items_kind_check;
ALTER TABLE work_items ADD CONSTRAINT work_items_kind_check CHECK (kind IN ('contact', 'voicemail', 'callback', 'outbound'));
