-- When an agent's last console socket (on any node) went away; null while one is connected or
-- the agent never used one. Routing offers nothing to a disconnected agent; after the grace
-- period (PRESENCE_GRACE_MS) they go offline, and a reconnect before that clears it.
ALTER TABLE agent_presence ADD COLUMN disconnected_at timestamptz;
CREATE INDEX agent_presence_disconnected_idx ON agent_presence (disconnected_at) WHERE disconnected_at IS NOT NULL;
