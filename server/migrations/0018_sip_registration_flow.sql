-- What a registrar keeps of a binding besides the contact: the REGISTER's Call-ID and CSeq (an
-- out-of-order refresh is refused) and the node whose connection the device registered over
-- (over TCP and WebSocket the only way back to it; the flow column holds the connection).
ALTER TABLE sip_registrations ADD COLUMN call_id text NOT NULL DEFAULT '';
ALTER TABLE sip_registrations ADD COLUMN cseq integer NOT NULL DEFAULT 0;
ALTER TABLE sip_registrations ADD COLUMN node_id uuid;
CREATE INDEX sip_registrations_session_idx ON sip_registrations (session_id) WHERE session_id IS NOT NULL;
