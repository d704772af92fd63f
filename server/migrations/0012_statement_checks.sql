-- A statement that must not take effect when a condition it computes holds raises from inside
-- itself: `yx_fail(reason)` raises SQLSTATE YX001 with the reason as its message when reason is
-- not null, and is true otherwise. The message write checks with it (a duplicate, a ticket that
-- moved on), so that it may carry its transaction's COMMIT in the same round trip: a failed check
-- fails the transaction, which then rolls back instead of committing (decision 0011).
CREATE FUNCTION yx_fail(reason text) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF reason IS NOT NULL THEN
    RAISE EXCEPTION '%', reason USING ERRCODE = 'YX001';
  END IF;
  RETURN true;
END
$$;
