-- What callers hear and may key on each number (DID): welcome, verification, menu, queue
-- announcements, voicemail and call-back keys, rating, language. NULL: the defaults
-- (contracts DEFAULT_IVR, in the tenant's language); a trunk saved without IVR settings keeps
-- its numbers' settings.
ALTER TABLE sip_dids ADD COLUMN ivr jsonb;
