-- Outbound delivery through a channel's outbound port: sending → sent → delivered → read, or
-- failed with its reason. 'pending' was never written; it becomes 'sending'.
ALTER TABLE messages ADD COLUMN delivery_error text;
ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_delivery_state_check;
UPDATE messages SET delivery_state = 'sending' WHERE delivery_state = 'pending';
ALTER TABLE messages ADD CONSTRAINT messages_delivery_state_check
  CHECK (delivery_state IN ('received','sending','sent','delivered','read','failed'));
