-- Missed calls and call-back requests: a caller who hung up while queued or ringing (missed), or
-- who asked the IVR to be called back (callback), waiting for an agent to call them back. One
-- open entry per caller number and tenant: a repeat call while it is open is another attempt on
-- it, so two agents never both call the same customer back. An agent claims it (calling back),
-- then marks it done with the outcome.
CREATE TABLE missed_calls (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants(id),
  kind            text NOT NULL CHECK (kind IN ('missed', 'callback')),
  number          text NOT NULL,
  contact_id      uuid REFERENCES contacts(id),
  queue_id        uuid REFERENCES queues(id),
  last_call_id    uuid NOT NULL REFERENCES calls(id),
  first_at        timestamptz NOT NULL,
  last_at         timestamptz NOT NULL,
  attempts        integer NOT NULL DEFAULT 1,
  -- the last attempt's wait, from the call's start to the caller hanging up
  waited_seconds  integer NOT NULL DEFAULT 0,
  claimed_by      uuid REFERENCES users(id),
  claimed_at      timestamptz,
  done_at         timestamptz,
  done_by         uuid REFERENCES users(id),
  outcome         text CHECK (outcome IN ('reached', 'no_answer', 'wrong_number')),
  note            text,
  updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX missed_calls_open_number_idx ON missed_calls (tenant_id, number) WHERE done_at IS NULL;
CREATE INDEX missed_calls_open_idx ON missed_calls (tenant_id, last_at DESC, id DESC) WHERE done_at IS NULL;
CREATE INDEX missed_calls_done_idx ON missed_calls (tenant_id, done_at DESC, id DESC) WHERE done_at IS NOT NULL;
