-- The phone channel's configuration: SIP trunks, the numbers (DIDs) that land on them, and each
-- agent's SIP device (desk phone credentials; the console's softphone derives its password from
-- the signed-in session and needs no row of its own beyond the user name).

CREATE TABLE sip_trunks (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id           uuid NOT NULL REFERENCES tenants(id),
  name                text NOT NULL,
  hosts               text[] NOT NULL,
  transport           text NOT NULL CHECK (transport IN ('udp', 'tcp', 'tls')),
  -- addresses or networks (CIDR) calls may come from
  allowed_sources     text[] NOT NULL DEFAULT '{}',
  -- inbound digest: the provider answers our challenge as this user (HA1 only, per algorithm)
  digest_username     text,
  digest_ha1_md5      text,
  digest_ha1_sha256   text,
  -- outbound registration to the provider; the password encrypted (AES-256-GCM, server secret)
  registration        jsonb,
  registration_secret text,
  caller_id           text,
  enabled             boolean NOT NULL DEFAULT true,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name),
  CHECK (cardinality(allowed_sources) > 0 OR digest_username IS NOT NULL)
);

-- A number is on one trunk of one tenant: an inbound call finds its tenant by the number dialled.
CREATE TABLE sip_dids (
  number     text PRIMARY KEY,
  tenant_id  uuid NOT NULL REFERENCES tenants(id),
  trunk_id   uuid NOT NULL REFERENCES sip_trunks(id) ON DELETE CASCADE,
  label      text,
  queue_id   uuid REFERENCES queues(id),
  position   integer NOT NULL DEFAULT 0
);
CREATE INDEX sip_dids_trunk_idx ON sip_dids (trunk_id, position);

CREATE TABLE sip_devices (
  user_id         uuid PRIMARY KEY REFERENCES users(id),
  tenant_id       uuid NOT NULL REFERENCES tenants(id),
  extension       text NOT NULL,
  -- unique on the server: REGISTER finds the tenant and the agent by it
  username        text NOT NULL UNIQUE,
  realm           text NOT NULL,
  ha1_md5         text NOT NULL,
  ha1_sha256      text NOT NULL,
  password_set_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, extension)
);

-- Where each device is registered now (any node may receive a REGISTER; any node may ring it).
CREATE TABLE sip_registrations (
  username    text NOT NULL REFERENCES sip_devices(username) ON DELETE CASCADE,
  contact     text NOT NULL,
  tenant_id   uuid NOT NULL REFERENCES tenants(id),
  user_id     uuid NOT NULL REFERENCES users(id),
  transport   text NOT NULL CHECK (transport IN ('udp', 'tcp', 'ws', 'wss')),
  -- the flow the REGISTER came over (node, connection or address), for requests back to it
  flow        text NOT NULL,
  -- the session whose derived password registered it (the console's softphone), else null
  session_id  uuid REFERENCES sessions(id) ON DELETE CASCADE,
  user_agent  text,
  expires_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (username, contact)
);
CREATE INDEX sip_registrations_user_idx ON sip_registrations (tenant_id, user_id, expires_at);
