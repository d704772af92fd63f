-- A missed call or call-back (and voicemail work) can be done without calling: "handled", dealt
-- with another way (the customer wrote in, nothing to do).
ALTER TABLE missed_calls DROP CONSTRAINT missed_calls_outcome_check;
ALTER TABLE missed_calls ADD CONSTRAINT missed_calls_outcome_check CHECK (outcome IN ('reached', 'no_answer', 'wrong_number', 'handled'));
