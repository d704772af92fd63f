-- Every running server process (node) beats here every NODE_HEARTBEAT_MS; a node whose beat is
-- older than NODE_TIMEOUT_MS is taken as dead (crashed, killed, cut off), and a live node treats
-- the console sockets it held as disconnected.
CREATE TABLE nodes (
  id uuid PRIMARY KEY,
  started_at timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now()
);

-- Which agents have a console socket on which node: one row per node and agent, written when
-- the agent's first socket on the node connects and removed when their last one there closes
-- (no foreign key: a node that was taken for dead and comes back writes its rows again).
CREATE TABLE node_agents (
  node_id uuid NOT NULL,
  user_id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  PRIMARY KEY (node_id, user_id)
);
CREATE INDEX node_agents_user_idx ON node_agents (user_id);
