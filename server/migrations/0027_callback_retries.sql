-- "No answer" on a call-back tries again (a demanding contact centre does not give up after one
-- try): the item waits in its queue again, its place kept, and is offered again from retry_at on,
-- until the queue's callback_max_tries tries have gone unanswered; the last is finished unreached.
-- The item stays one row (enqueued once), so queue figures do not count a retry as a new call.
ALTER TABLE work_items ADD COLUMN callback_tries integer NOT NULL DEFAULT 0;
ALTER TABLE work_items ADD COLUMN retry_at timestamptz;
ALTER TABLE queues ADD COLUMN callback_retry_minutes integer NOT NULL DEFAULT 10 CHECK (callback_retry_minutes BETWEEN 0 AND 1440);
ALTER TABLE queues ADD COLUMN callback_max_tries integer NOT NULL DEFAULT 3 CHECK (callback_max_tries BETWEEN 1 AND 10);
