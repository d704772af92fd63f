-- The agent's workspace: canned replies (tenant-wide or personal) and per-agent read markers.

CREATE TABLE canned_replies (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants(id),
  -- null: tenant-wide (managed by category:manage holders); otherwise the agent's own
  owner_id    uuid REFERENCES users(id),
  shortcut    text NOT NULL,
  title       text NOT NULL,
  body        text NOT NULL,
  category    text,
  tags        text[] NOT NULL DEFAULT '{}',
  usage_count integer NOT NULL DEFAULT 0,
  created_by  uuid REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX canned_replies_tenant_shortcut_key ON canned_replies (tenant_id, lower(shortcut)) WHERE owner_id IS NULL;
CREATE UNIQUE INDEX canned_replies_personal_shortcut_key ON canned_replies (tenant_id, owner_id, lower(shortcut)) WHERE owner_id IS NOT NULL;

-- The last message seq each agent has read in each conversation (unread badges).
CREATE TABLE conversation_reads (
  tenant_id       uuid NOT NULL REFERENCES tenants(id),
  user_id         uuid NOT NULL REFERENCES users(id),
  conversation_id uuid NOT NULL REFERENCES conversations(id),
  last_read_seq   integer NOT NULL DEFAULT 0,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, conversation_id)
);
CREATE INDEX conversation_reads_conversation_idx ON conversation_reads (conversation_id);

-- An agent named in an internal note (of a conversation, or on a ticket's timeline).
CREATE TABLE mentions (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants(id),
  user_id           uuid NOT NULL REFERENCES users(id),
  author_id         uuid REFERENCES users(id),
  conversation_id   uuid REFERENCES conversations(id),
  message_id        uuid REFERENCES messages(id),
  ticket_id         uuid REFERENCES tickets(id),
  timeline_event_id bigint,
  excerpt           text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  read_at           timestamptz
);
CREATE UNIQUE INDEX mentions_message_key ON mentions (user_id, message_id) WHERE message_id IS NOT NULL;
CREATE UNIQUE INDEX mentions_note_key ON mentions (user_id, timeline_event_id) WHERE timeline_event_id IS NOT NULL;
CREATE INDEX mentions_unread_idx ON mentions (tenant_id, user_id, created_at DESC) WHERE read_at IS NULL;
CREATE INDEX mentions_user_idx ON mentions (tenant_id, user_id, created_at DESC);
