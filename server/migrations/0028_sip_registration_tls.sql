-- A desk phone may register over SIP over TLS (SIP_TLS_PORT): its registration says so, so the
-- console shows it as TLS (it was kept as udp, though its flow said TLS and it rang).
ALTER TABLE sip_registrations DROP CONSTRAINT sip_registrations_transport_check;
ALTER TABLE sip_registrations ADD CONSTRAINT sip_registrations_transport_check CHECK (transport IN ('udp', 'tcp', 'tls', 'ws', 'wss'));
