-- Call detail records: one row per call leg the phone channel handles (a caller's call, an
-- agent's outbound call), written by the call layer as the call moves and listed, filtered and
-- exported in the console. The conversation carries the call's messages and its ticket link.

CREATE TABLE calls (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants(id),
  conversation_id  uuid REFERENCES conversations(id),
  sip_call_id      text NOT NULL,
  direction        text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  from_number      text,
  to_number        text,
  did              text,
  trunk_id         uuid REFERENCES sip_trunks(id) ON DELETE SET NULL,
  queue_id         uuid REFERENCES queues(id),
  agent_id         uuid REFERENCES users(id),
  started_at       timestamptz NOT NULL,
  queued_at        timestamptz,
  ringing_at       timestamptz,
  answered_at      timestamptz,
  ended_at         timestamptz,
  held_since       timestamptz,
  hold_seconds     integer NOT NULL DEFAULT 0,
  wrap_up_seconds  integer,
  -- answered, abandoned (caller left while queued or ringing), voicemail, callback, missed
  -- (no agent answered before the call ended otherwise), refused (not allowed in), failed
  disposition      text CHECK (disposition IN ('answered', 'abandoned', 'voicemail', 'callback', 'missed', 'refused', 'failed')),
  hangup_side      text CHECK (hangup_side IN ('caller', 'agent', 'system')),
  hangup_cause     text,
  recording_id     uuid REFERENCES attachments(id),
  rating           smallint CHECK (rating BETWEEN 1 AND 5),
  UNIQUE (tenant_id, sip_call_id, direction)
);
CREATE INDEX calls_tenant_started_idx ON calls (tenant_id, started_at DESC, id DESC);
CREATE INDEX calls_conversation_idx ON calls (conversation_id);
