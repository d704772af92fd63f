-- Sign-in attempts, for throttling by account and by source (client address) on every node and
-- across restarts. `account` is the e-mail as typed (lower-cased), known or not, so a miss looks
-- like a wrong password. Successes are kept too: a source that signed in to an account recently
-- is trusted by that account when strangers hammer it. Rows older than 30 days are pruned.
CREATE TABLE login_attempts (
  id bigserial PRIMARY KEY,
  account text NOT NULL,
  source text NOT NULL,
  succeeded boolean NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX login_attempts_account ON login_attempts (account, created_at);
CREATE INDEX login_attempts_source ON login_attempts (source, created_at);
