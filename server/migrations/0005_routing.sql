-- Routing (ACD): business-hours calendars, queue configuration, navigation rules, agent presence,
-- work items waiting in queues, and offers to agents.

CREATE TABLE calendars (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants(id),
  name           text NOT NULL,
  time_zone      text NOT NULL DEFAULT 'Asia/Shanghai',
  -- {"mon":[["09:00","12:00"],["13:00","18:00"]], "tue": …}; a missing day is closed
  weekly_hours   jsonb NOT NULL DEFAULT '{}',
  -- [{"date":"2026-10-01","name":"国庆节"}]: closed all day
  holidays       jsonb NOT NULL DEFAULT '[]',
  -- 调休 make-up working days: [{"date":"2026-10-11","hours":[["09:00","18:00"]]}]
  extra_workdays jsonb NOT NULL DEFAULT '[]',
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

ALTER TABLE queues
  ADD COLUMN strategy              text NOT NULL DEFAULT 'least_busy' CHECK (strategy IN ('least_busy','round_robin','longest_idle','broadcast')),
  ADD COLUMN sticky_seconds        integer NOT NULL DEFAULT 0 CHECK (sticky_seconds >= 0),
  ADD COLUMN vip_first             boolean NOT NULL DEFAULT true,
  ADD COLUMN priority              integer NOT NULL DEFAULT 0,
  ADD COLUMN calendar_id           uuid REFERENCES calendars(id),
  ADD COLUMN max_wait_seconds      integer CHECK (max_wait_seconds > 0),
  ADD COLUMN max_length            integer CHECK (max_length > 0),
  ADD COLUMN overflow_action       text NOT NULL DEFAULT 'none' CHECK (overflow_action IN ('none','queue','voicemail','ticket')),
  ADD COLUMN overflow_queue_id     uuid REFERENCES queues(id),
  ADD COLUMN wrap_up_seconds       integer NOT NULL DEFAULT 30 CHECK (wrap_up_seconds >= 0),
  ADD COLUMN offer_timeout_seconds integer NOT NULL DEFAULT 20 CHECK (offer_timeout_seconds > 0),
  ADD COLUMN service_level_seconds integer NOT NULL DEFAULT 20 CHECK (service_level_seconds > 0),
  ADD COLUMN max_missed_offers     integer NOT NULL DEFAULT 3 CHECK (max_missed_offers >= 0);

CREATE TABLE queue_skills (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  queue_id  uuid NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
  skill_id  uuid NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
  min_level smallint NOT NULL DEFAULT 1 CHECK (min_level BETWEEN 1 AND 10),
  PRIMARY KEY (queue_id, skill_id)
);

-- Navigation rules: first enabled match by position wins.
CREATE TABLE routing_rules (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants(id),
  name       text NOT NULL,
  position   integer NOT NULL,
  enabled    boolean NOT NULL DEFAULT true,
  conditions jsonb NOT NULL DEFAULT '{}',
  action     jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX routing_rules_tenant_idx ON routing_rules (tenant_id, position);

CREATE TABLE agent_presence (
  user_id       uuid PRIMARY KEY REFERENCES users(id),
  tenant_id     uuid NOT NULL REFERENCES tenants(id),
  state         text NOT NULL DEFAULT 'offline' CHECK (state IN ('offline','available','busy','wrap_up','away')),
  reason        text,
  state_since   timestamptz NOT NULL DEFAULT now(),
  -- per-media capacity, e.g. {"voice":1,"chat":5,"email":10}
  capacity      jsonb NOT NULL DEFAULT '{"voice":1,"chat":5,"email":10}',
  -- when the agent last became free (longest-idle strategy)
  idle_since    timestamptz NOT NULL DEFAULT now(),
  missed_offers integer NOT NULL DEFAULT 0,
  wrap_up_until timestamptz,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_presence_tenant_idx ON agent_presence (tenant_id, state);

-- Every stretch of time an agent spent in a state (time in state, agents by state over a day).
CREATE TABLE agent_state_log (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id  uuid NOT NULL REFERENCES tenants(id),
  user_id    uuid NOT NULL REFERENCES users(id),
  state      text NOT NULL,
  reason     text,
  started_at timestamptz NOT NULL,
  ended_at   timestamptz
);
CREATE INDEX agent_state_log_user_idx ON agent_state_log (tenant_id, user_id, started_at DESC);

-- A call, chat, WeChat session or e-mail waiting for, offered to, or handled by an agent.
CREATE TABLE work_items (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id          uuid NOT NULL REFERENCES tenants(id),
  queue_id           uuid NOT NULL REFERENCES queues(id),
  media              text NOT NULL CHECK (media IN ('voice','chat','email')),
  channel            text NOT NULL CHECK (channel IN ('phone','webchat','wechat','email','portal')),
  conversation_id    uuid REFERENCES conversations(id),
  ticket_id          uuid REFERENCES tickets(id),
  contact_id         uuid REFERENCES contacts(id),
  priority           integer NOT NULL DEFAULT 0,
  vip                boolean NOT NULL DEFAULT false,
  language           text,
  -- returning-customer priority: the agent who last served this customer
  preferred_agent_id uuid REFERENCES users(id),
  state              text NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting','offered','assigned','completed','abandoned','overflowed','cancelled')),
  enqueued_at        timestamptz NOT NULL,
  offered_at         timestamptz,
  assigned_to        uuid REFERENCES users(id),
  assigned_at        timestamptz,
  completed_at       timestamptz,
  abandoned_at       timestamptz,
  hold_ms            bigint NOT NULL DEFAULT 0,
  wrap_ms            bigint NOT NULL DEFAULT 0,
  rule_id            uuid REFERENCES routing_rules(id),
  -- why it went where it went: matched rule, strategy, chosen agent and the reason
  decision           jsonb NOT NULL DEFAULT '{}',
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX work_items_waiting_idx ON work_items (tenant_id, queue_id, vip DESC, priority DESC, enqueued_at) WHERE state IN ('waiting','offered');
CREATE INDEX work_items_agent_idx ON work_items (assigned_to) WHERE state = 'assigned';
CREATE INDEX work_items_queue_time_idx ON work_items (tenant_id, queue_id, enqueued_at);
CREATE INDEX work_items_conversation_idx ON work_items (conversation_id);

CREATE TABLE offers (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    uuid NOT NULL REFERENCES tenants(id),
  work_item_id uuid NOT NULL REFERENCES work_items(id),
  agent_id     uuid NOT NULL REFERENCES users(id),
  state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','accepted','rejected','expired','withdrawn')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  responded_at timestamptz
);
-- The database itself refuses to give one item to two agents.
CREATE UNIQUE INDEX offers_one_accepted_key ON offers (work_item_id) WHERE state = 'accepted';
CREATE UNIQUE INDEX offers_one_pending_key ON offers (work_item_id, agent_id) WHERE state = 'pending';
CREATE INDEX offers_pending_expiry_idx ON offers (expires_at) WHERE state = 'pending';
CREATE INDEX offers_agent_pending_idx ON offers (agent_id) WHERE state = 'pending';

-- Round robin's place in each queue, so the rotation survives restarts.
CREATE TABLE queue_cursors (
  queue_id      uuid PRIMARY KEY REFERENCES queues(id) ON DELETE CASCADE,
  tenant_id     uuid NOT NULL REFERENCES tenants(id),
  last_agent_id uuid REFERENCES users(id),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
