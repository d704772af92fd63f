-- The node (server process) that handles a live call: its dialogs, timers and media live there
-- only, so a call whose node stopped beating is closed as failed by a live node's sweep.
ALTER TABLE calls ADD COLUMN node_id uuid;
CREATE INDEX calls_open_node_idx ON calls (node_id) WHERE ended_at IS NULL;
