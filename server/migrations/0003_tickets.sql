-- Ticket lists: the unfiltered list of a tenant's tickets, most recently changed first, paged by
-- keyset on (updated_at, id). The indexes of 0001 cover only open tickets or one status at a time.
CREATE INDEX tickets_updated_idx ON tickets (tenant_id, updated_at DESC, id DESC);
