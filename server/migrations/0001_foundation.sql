-- Yixian foundation schema. Runs unchanged on PostgreSQL 15+ and PGlite (PostgreSQL 18).
-- Every business row carries tenant_id; every query filters by it.

CREATE TABLE tenants (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug            text NOT NULL UNIQUE,
  name            text NOT NULL,
  default_country text NOT NULL DEFAULT 'CN',
  time_zone       text NOT NULL DEFAULT 'Asia/Shanghai',
  locale          text NOT NULL DEFAULT 'zh-CN',
  ticket_prefix   text NOT NULL DEFAULT 'YX',
  settings        jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL REFERENCES tenants(id),
  email         text NOT NULL,
  display_name  text NOT NULL,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin','supervisor','agent','senior_agent','vip_agent','field_engineer','quality_inspector','service_operations')),
  phone         text,
  locale        text,
  is_active     boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- Login is by e-mail alone, so an address belongs to one user across tenants.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_tenant_idx ON users (tenant_id, role);

CREATE TABLE sessions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    uuid NOT NULL REFERENCES tenants(id),
  user_id      uuid NOT NULL REFERENCES users(id),
  token_hash   text NOT NULL UNIQUE,
  user_agent   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE skills (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants(id),
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

CREATE TABLE user_skills (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  user_id   uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  skill_id  uuid NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
  level     smallint NOT NULL DEFAULT 1 CHECK (level BETWEEN 1 AND 10),
  PRIMARY KEY (user_id, skill_id)
);
CREATE INDEX user_skills_skill_idx ON user_skills (skill_id);

CREATE TABLE queues (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants(id),
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

CREATE TABLE queue_members (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  queue_id  uuid NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
  user_id   uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (queue_id, user_id)
);
CREATE INDEX queue_members_user_idx ON queue_members (user_id);

-- Customers: group → company → contact → identities.
CREATE TABLE customer_groups (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants(id),
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

CREATE TABLE companies (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id          uuid NOT NULL REFERENCES tenants(id),
  customer_group_id  uuid REFERENCES customer_groups(id),
  name               text NOT NULL,
  verification_code  text NOT NULL CHECK (verification_code ~ '^[0-9]{4,12}$'),
  service_pack       text CHECK (service_pack IN ('online','standard','vip','value_added')),
  service_expires_on date,
  address            text NOT NULL DEFAULT '',
  notes              text NOT NULL DEFAULT '',
  custom_fields      jsonb NOT NULL DEFAULT '{}',
  search_tokens      text NOT NULL DEFAULT '',
  search_vector      tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_tokens)) STORED,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, verification_code)
);
CREATE INDEX companies_group_idx ON companies (tenant_id, customer_group_id);
CREATE INDEX companies_name_idx ON companies (tenant_id, lower(name));
CREATE INDEX companies_expiry_idx ON companies (tenant_id, service_expires_on);
CREATE INDEX companies_search_idx ON companies USING gin (search_vector);

CREATE TABLE contacts (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants(id),
  company_id     uuid REFERENCES companies(id),
  name           text NOT NULL,
  title          text NOT NULL DEFAULT '',
  language       text,
  is_vip         boolean NOT NULL DEFAULT false,
  notes          text NOT NULL DEFAULT '',
  custom_fields  jsonb NOT NULL DEFAULT '{}',
  merged_into_id uuid REFERENCES contacts(id),
  search_tokens  text NOT NULL DEFAULT '',
  search_vector  tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_tokens)) STORED,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_company_idx ON contacts (tenant_id, company_id);
CREATE INDEX contacts_name_idx ON contacts (tenant_id, lower(name));
CREATE INDEX contacts_search_idx ON contacts USING gin (search_vector);

-- One row per way a customer can reach us; (tenant, kind, value) finds the contact in one probe.
CREATE TABLE identities (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL REFERENCES tenants(id),
  contact_id    uuid NOT NULL REFERENCES contacts(id),
  kind          text NOT NULL CHECK (kind IN ('phone','email','wechat_openid','wecom_external_id','visitor_id')),
  value         text NOT NULL,
  display_value text NOT NULL,
  verified      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, kind, value)
);
CREATE INDEX identities_contact_idx ON identities (contact_id);

CREATE TABLE categories (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants(id),
  parent_id  uuid REFERENCES categories(id),
  name       text NOT NULL,
  difficulty numeric(5,2) NOT NULL DEFAULT 1.00 CHECK (difficulty > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

CREATE TABLE custom_field_definitions (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants(id),
  entity     text NOT NULL CHECK (entity IN ('ticket','contact','company')),
  key        text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,62}$'),
  label      text NOT NULL,
  type       text NOT NULL CHECK (type IN ('text','number','boolean','date','select')),
  options    jsonb NOT NULL DEFAULT '[]',
  required   boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, entity, key)
);

-- Human-readable ticket numbers: one counter row per tenant per local day.
CREATE TABLE ticket_counters (
  tenant_id  uuid NOT NULL REFERENCES tenants(id),
  day        date NOT NULL,
  last_value integer NOT NULL,
  PRIMARY KEY (tenant_id, day)
);

CREATE TABLE tickets (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants(id),
  number            text NOT NULL,
  subject           text NOT NULL,
  status            text NOT NULL DEFAULT 'new' CHECK (status IN ('new','open','pending','resolved','closed')),
  priority          text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low','normal','high','urgent')),
  source_channel    text CHECK (source_channel IN ('phone','webchat','wechat','email','portal')),
  category_id       uuid REFERENCES categories(id),
  contact_id        uuid REFERENCES contacts(id),
  company_id        uuid REFERENCES companies(id),
  queue_id          uuid REFERENCES queues(id),
  assignee_id       uuid REFERENCES users(id),
  tags              text[] NOT NULL DEFAULT '{}',
  custom_fields     jsonb NOT NULL DEFAULT '{}',
  merged_into_id    uuid REFERENCES tickets(id),
  search_tokens     text NOT NULL DEFAULT '',
  search_vector     tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_tokens)) STORED,
  first_response_at timestamptz,
  resolved_at       timestamptz,
  closed_at         timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, number)
);
-- An agent's open work, a customer's history, a company's history, queue views, text search.
CREATE INDEX tickets_assignee_open_idx ON tickets (tenant_id, assignee_id, updated_at DESC) WHERE status IN ('new','open','pending');
CREATE INDEX tickets_contact_idx ON tickets (tenant_id, contact_id, created_at DESC);
CREATE INDEX tickets_contact_open_idx ON tickets (tenant_id, contact_id) WHERE status IN ('new','open','pending');
CREATE INDEX tickets_company_idx ON tickets (tenant_id, company_id, created_at DESC);
CREATE INDEX tickets_status_idx ON tickets (tenant_id, status, updated_at DESC);
CREATE INDEX tickets_queue_open_idx ON tickets (tenant_id, queue_id, updated_at DESC) WHERE status IN ('new','open','pending');
CREATE INDEX tickets_tags_idx ON tickets USING gin (tags);
CREATE INDEX tickets_search_idx ON tickets USING gin (search_vector);

CREATE TABLE ticket_links (
  tenant_id        uuid NOT NULL REFERENCES tenants(id),
  ticket_id        uuid NOT NULL REFERENCES tickets(id),
  linked_ticket_id uuid NOT NULL REFERENCES tickets(id),
  kind             text NOT NULL CHECK (kind IN ('related','duplicate','parent','child')),
  created_by       uuid REFERENCES users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ticket_id, linked_ticket_id),
  CHECK (ticket_id <> linked_ticket_id)
);
CREATE INDEX ticket_links_reverse_idx ON ticket_links (linked_ticket_id);

CREATE TABLE conversations (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants(id),
  channel         text NOT NULL CHECK (channel IN ('phone','webchat','wechat','email','portal')),
  contact_id      uuid REFERENCES contacts(id),
  identity_id     uuid REFERENCES identities(id),
  ticket_id       uuid REFERENCES tickets(id),
  queue_id        uuid REFERENCES queues(id),
  assignee_id     uuid REFERENCES users(id),
  state           text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','active','ended')),
  subject         text NOT NULL DEFAULT '',
  external_ref    text,
  last_seq        bigint NOT NULL DEFAULT 0,
  started_at      timestamptz NOT NULL DEFAULT now(),
  accepted_at     timestamptz,
  ended_at        timestamptz,
  last_message_at timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_contact_idx ON conversations (tenant_id, contact_id, started_at DESC);
CREATE INDEX conversations_ticket_idx ON conversations (tenant_id, ticket_id);
CREATE INDEX conversations_live_idx ON conversations (tenant_id, state, queue_id, started_at) WHERE state <> 'ended';
CREATE INDEX conversations_assignee_idx ON conversations (tenant_id, assignee_id) WHERE state <> 'ended';
CREATE UNIQUE INDEX conversations_external_ref_key ON conversations (tenant_id, channel, external_ref);

CREATE TABLE conversation_participants (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants(id),
  conversation_id uuid NOT NULL REFERENCES conversations(id),
  kind            text NOT NULL CHECK (kind IN ('customer','agent','bot','observer')),
  user_id         uuid REFERENCES users(id),
  contact_id      uuid REFERENCES contacts(id),
  joined_at       timestamptz NOT NULL DEFAULT now(),
  left_at         timestamptz
);
CREATE INDEX conversation_participants_conv_idx ON conversation_participants (conversation_id);

CREATE TABLE messages (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants(id),
  conversation_id uuid NOT NULL REFERENCES conversations(id),
  ticket_id       uuid REFERENCES tickets(id),
  channel         text NOT NULL CHECK (channel IN ('phone','webchat','wechat','email','portal')),
  seq             bigint NOT NULL,
  direction       text NOT NULL CHECK (direction IN ('inbound','outbound','internal')),
  author_type     text NOT NULL CHECK (author_type IN ('contact','user','bot','system','integration')),
  author_id       uuid,
  body_text       text NOT NULL DEFAULT '',
  body_rich       jsonb,
  delivery_state  text NOT NULL DEFAULT 'received' CHECK (delivery_state IN ('received','pending','sent','delivered','read','failed')),
  external_id     text,
  client_id       text,
  search_tokens   text NOT NULL DEFAULT '',
  search_vector   tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_tokens)) STORED,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (conversation_id, seq)
);
-- A retried delivery (same provider id, same client id) is stored once.
CREATE UNIQUE INDEX messages_external_id_key ON messages (tenant_id, channel, external_id);
CREATE UNIQUE INDEX messages_client_id_key ON messages (conversation_id, client_id);
CREATE INDEX messages_ticket_idx ON messages (tenant_id, ticket_id, created_at);
CREATE INDEX messages_search_idx ON messages USING gin (search_vector);

CREATE TABLE attachments (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    uuid NOT NULL REFERENCES tenants(id),
  message_id   uuid REFERENCES messages(id),
  ticket_id    uuid REFERENCES tickets(id),
  filename     text NOT NULL,
  content_type text NOT NULL,
  size_bytes   bigint NOT NULL,
  sha256       text NOT NULL,
  storage_key  text NOT NULL,
  uploaded_by  uuid REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_message_idx ON attachments (message_id);
CREATE INDEX attachments_ticket_idx ON attachments (tenant_id, ticket_id);

-- One timeline per ticket: every message, call, note, change, dispatch, visit and rating.
CREATE TABLE timeline_events (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id       uuid NOT NULL REFERENCES tenants(id),
  ticket_id       uuid NOT NULL REFERENCES tickets(id),
  kind            text NOT NULL,
  occurred_at     timestamptz NOT NULL DEFAULT now(),
  actor_type      text NOT NULL CHECK (actor_type IN ('user','contact','system','integration')),
  actor_id        uuid,
  conversation_id uuid REFERENCES conversations(id),
  message_id      uuid REFERENCES messages(id),
  data            jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX timeline_events_ticket_idx ON timeline_events (tenant_id, ticket_id, occurred_at, id);
CREATE INDEX timeline_events_message_idx ON timeline_events (message_id);

CREATE TABLE ratings (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants(id),
  ticket_id       uuid NOT NULL REFERENCES tickets(id),
  conversation_id uuid REFERENCES conversations(id),
  contact_id      uuid REFERENCES contacts(id),
  score           smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment         text NOT NULL DEFAULT '',
  channel         text NOT NULL CHECK (channel IN ('phone','webchat','wechat','email','portal')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (ticket_id, conversation_id)
);
CREATE INDEX ratings_tenant_idx ON ratings (tenant_id, created_at DESC);

CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenants(id),
  actor_type  text NOT NULL CHECK (actor_type IN ('user','contact','system','integration')),
  actor_id    uuid,
  action      text NOT NULL,
  entity_type text NOT NULL,
  entity_id   text,
  changes     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, id DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (tenant_id, entity_type, entity_id);

-- Transactional outbox: written with the change, fanned out to sockets after commit.
CREATE TABLE outbox (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id     uuid REFERENCES tenants(id),
  event         text NOT NULL,
  rooms         text[] NOT NULL,
  payload       jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE dispatched_at IS NULL;
