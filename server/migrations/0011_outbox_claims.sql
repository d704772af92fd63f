-- The node that commits an event delivers it at once from memory and marks it dispatched a
-- moment later, in a batch. Until then the row is claimed: the pollers of every node leave it
-- alone, unless the claim runs out (that node died between commit and delivery).
ALTER TABLE outbox ADD COLUMN claimed_until timestamptz;
