-- Live queue metrics and the wallboard: read-only wallboard links, the change feed the metrics
-- pusher reads, the pusher's lease (one process pushes), and indexes for interval metrics.

-- A read-only link to the wallboard page (a TV in the office, a phone). Only the token's
-- SHA-256 is stored; the token itself is shown once, when the link is made.
CREATE TABLE wallboard_links (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants(id),
  name       text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  -- the queues it shows; empty: every queue of the tenant
  queue_ids  uuid[] NOT NULL DEFAULT '{}',
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX wallboard_links_tenant_idx ON wallboard_links (tenant_id, created_at DESC);

-- Which tenants' metrics moved since the pusher last looked: one row per changing statement,
-- written by the triggers below in the writer's transaction (so only committed changes show).
-- Append-only without a unique key, so writers never wait on each other here. The column is
-- `tenant`, not `tenant_id`: these rows are not tenant data and are consumed in the background.
CREATE TABLE wallboard_changes (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant     uuid NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);

-- The one process that pushes wallboard updates (others stand by); a lease renewed every second.
CREATE TABLE wallboard_pusher_lease (
  id         smallint PRIMARY KEY CHECK (id = 1),
  holder     text NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE FUNCTION wallboard_mark_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO wallboard_changes (tenant) SELECT DISTINCT tenant_id FROM old_rows;
  ELSE
    INSERT INTO wallboard_changes (tenant) SELECT DISTINCT tenant_id FROM new_rows;
  END IF;
  RETURN NULL;
END;
$$;

-- Statement-level: a batch of a thousand rows is one change row per tenant.
CREATE TRIGGER wallboard_work_items_ins AFTER INSERT ON work_items REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wallboard_mark_changed();
CREATE TRIGGER wallboard_work_items_upd AFTER UPDATE ON work_items REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wallboard_mark_changed();
CREATE TRIGGER wallboard_work_items_del AFTER DELETE ON work_items REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION wallboard_mark_changed();
CREATE TRIGGER wallboard_presence_ins AFTER INSERT ON agent_presence REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wallboard_mark_changed();
CREATE TRIGGER wallboard_presence_upd AFTER UPDATE ON agent_presence REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wallboard_mark_changed();
CREATE TRIGGER wallboard_presence_del AFTER DELETE ON agent_presence REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION wallboard_mark_changed();
CREATE TRIGGER wallboard_offers_ins AFTER INSERT ON offers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wallboard_mark_changed();
CREATE TRIGGER wallboard_offers_upd AFTER UPDATE ON offers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wallboard_mark_changed();
CREATE TRIGGER wallboard_queue_members_ins AFTER INSERT ON queue_members REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wallboard_mark_changed();
CREATE TRIGGER wallboard_queue_members_del AFTER DELETE ON queue_members REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION wallboard_mark_changed();
CREATE TRIGGER wallboard_queues_ins AFTER INSERT ON queues REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wallboard_mark_changed();
CREATE TRIGGER wallboard_queues_upd AFTER UPDATE ON queues REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wallboard_mark_changed();

-- Interval metrics read the items answered, completed or abandoned in a time range.
CREATE INDEX work_items_assigned_at_idx ON work_items (tenant_id, assigned_at) WHERE assigned_at IS NOT NULL;
CREATE INDEX work_items_completed_at_idx ON work_items (tenant_id, completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX work_items_abandoned_at_idx ON work_items (tenant_id, abandoned_at) WHERE abandoned_at IS NOT NULL;
