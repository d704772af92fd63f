-- SLA policies and each ticket's SLA clocks.

-- First enabled match by position wins (priority and/or service pack; an empty list matches
-- any); the tenant's default policy applies when none matches.
CREATE TABLE sla_policies (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id              uuid NOT NULL REFERENCES tenants(id),
  name                   text NOT NULL,
  position               integer NOT NULL,
  is_default             boolean NOT NULL DEFAULT false,
  priorities             text[] NOT NULL DEFAULT '{}',
  service_packs          text[] NOT NULL DEFAULT '{}',
  -- business hours the targets are measured in; NULL is 24×7
  calendar_id            uuid REFERENCES calendars(id),
  first_response_minutes integer CHECK (first_response_minutes > 0),
  next_response_minutes  integer CHECK (next_response_minutes > 0),
  resolution_minutes     integer CHECK (resolution_minutes > 0),
  warn_fraction          numeric(4,3) NOT NULL DEFAULT 0.8 CHECK (warn_fraction > 0 AND warn_fraction < 1),
  pause_when_pending     boolean NOT NULL DEFAULT true,
  -- escalation on breach
  notify_supervisors     boolean NOT NULL DEFAULT true,
  raise_priority         text CHECK (raise_priority IN ('one_step','low','normal','high','urgent')),
  move_to_queue_id       uuid REFERENCES queues(id),
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);
CREATE INDEX sla_policies_tenant_idx ON sla_policies (tenant_id, position);
CREATE UNIQUE INDEX sla_policies_one_default_key ON sla_policies (tenant_id) WHERE is_default;

-- Which policy a ticket got, and for which priority and service pack (a change re-matches).
-- ticket_updated_at: the tickets.updated_at the clocks were computed from; the SLA watcher
-- recomputes a ticket whose updated_at moved on. stale: the policy or its calendar changed.
CREATE TABLE ticket_sla (
  ticket_id            uuid PRIMARY KEY REFERENCES tickets(id),
  tenant_id            uuid NOT NULL REFERENCES tenants(id),
  policy_id            uuid REFERENCES sla_policies(id) ON DELETE SET NULL,
  matched_priority     text NOT NULL,
  matched_service_pack text,
  ticket_updated_at    timestamptz,
  stale                boolean NOT NULL DEFAULT false,
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_sla_policy_idx ON ticket_sla (policy_id);
CREATE INDEX ticket_sla_stale_idx ON ticket_sla (ticket_id) WHERE stale;

-- One clock per ticket and target: the current cycle's due and warning instants (NULL while
-- paused), when it stopped, and when its warning and breach fired (once per cycle).
CREATE TABLE ticket_sla_clocks (
  ticket_id   uuid NOT NULL REFERENCES tickets(id),
  target      text NOT NULL CHECK (target IN ('first_response','next_response','resolution')),
  tenant_id   uuid NOT NULL REFERENCES tenants(id),
  started_at  timestamptz NOT NULL,
  due_at      timestamptz,
  warn_at     timestamptz,
  stopped_at  timestamptz,
  warned_at   timestamptz,
  breached_at timestamptz,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ticket_id, target)
);
-- What the SLA watcher scans: breaches not yet fired (running, or stopped too late) and warnings not yet fired.
CREATE INDEX ticket_sla_clocks_due_idx ON ticket_sla_clocks (due_at)
  WHERE breached_at IS NULL AND (stopped_at IS NULL OR stopped_at > due_at);
CREATE INDEX ticket_sla_clocks_warn_idx ON ticket_sla_clocks (warn_at)
  WHERE warned_at IS NULL AND breached_at IS NULL AND stopped_at IS NULL;

-- The SLA watcher's catch-up scan: unclosed tickets whose updated_at moved past ticket_sla's copy.
CREATE INDEX tickets_sla_sync_idx ON tickets (id) INCLUDE (tenant_id, updated_at) WHERE status <> 'closed';
