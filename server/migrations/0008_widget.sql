-- The web chat widget: per-tenant widget configurations (public key, allowed origins, pre-chat
-- form, texts, routing entry) and the browser visitors that talk through them.

CREATE TABLE widget_configs (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants(id),
  -- embedded in customers' web pages: wk_ + random; unique across tenants (it finds the tenant)
  public_key       text NOT NULL UNIQUE,
  name             text NOT NULL,
  enabled          boolean NOT NULL DEFAULT true,
  allowed_origins  text[] NOT NULL DEFAULT '{}',
  -- { name, phone, company, verificationCode }: each off | optional | required
  pre_chat_form    jsonb NOT NULL,
  greeting         jsonb NOT NULL,
  offline_message  jsonb NOT NULL,
  default_queue_id uuid REFERENCES queues(id),
  entry_point      text NOT NULL,
  calendar_id      uuid REFERENCES calendars(id),
  theme            jsonb NOT NULL,
  locale           text NOT NULL DEFAULT 'zh-CN',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX widget_configs_tenant_idx ON widget_configs (tenant_id, created_at);

-- One browser (its stored visitor token) on one widget. The contact owns the visitor_id identity;
-- the pre-chat form may move that identity to a known customer.
CREATE TABLE widget_visitors (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants(id),
  widget_config_id uuid NOT NULL REFERENCES widget_configs(id),
  -- the visitor_id identity's value
  visitor_key      text NOT NULL,
  identified       boolean NOT NULL DEFAULT false,
  -- the newest conversation started from this browser
  conversation_id  uuid REFERENCES conversations(id),
  -- the visitor has read messages up to this seq of that conversation
  read_seq         integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, visitor_key)
);
CREATE INDEX widget_visitors_conversation_idx ON widget_visitors (conversation_id);

-- Files a visitor uploaded, so only they can send (claim) them.
CREATE TABLE widget_uploads (
  attachment_id uuid PRIMARY KEY REFERENCES attachments(id),
  tenant_id     uuid NOT NULL REFERENCES tenants(id),
  visitor_id    uuid NOT NULL REFERENCES widget_visitors(id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX widget_uploads_visitor_idx ON widget_uploads (visitor_id);
