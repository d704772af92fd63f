-- Outbound registration of a trunk to its provider: which node holds it (a lease, so only one node
-- of a cluster registers a trunk, and another takes over when the holder stops renewing), and
-- what the console shows of it: registered (until when), failing (why), or off; and since when.
CREATE TABLE sip_trunk_registrations (
  trunk_id uuid PRIMARY KEY REFERENCES sip_trunks (id) ON DELETE CASCADE,
  holder text NOT NULL,
  lease_expires_at timestamptz NOT NULL,
  state text NOT NULL DEFAULT 'off',
  reason text,
  changed_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz
);
