import { sql } from "kysely";
import type { Deps } from "../context.ts";
import { DomainError } from "../errors.ts";

/**
 * Sign-in throttling, kept in the database (every node, every restart), by account and source:
 * - one source, one account: PAIR_LIMIT failures in WINDOW lock that pair (a success clears it);
 * - one source, any accounts: SOURCE_LIMIT failures in WINDOW lock the source (spraying many e-mails);
 * - one account, any sources: past ACCOUNT_LIMIT failures in WINDOW the account refuses sources
 *   it does not know; a source that signed in to it within TRUSTED keeps signing in, so a
 *   stranger cannot lock a user out of their usual desk.
 */
export const WINDOW_MS = 15 * 60_000;
export const PAIR_LIMIT = 5;
export const SOURCE_LIMIT = 30;
export const ACCOUNT_LIMIT = 20;
const TRUSTED_MS = 30 * 24 * 3_600_000;

export interface LoginKey {
  /** The e-mail as typed, lower-cased. */
  account: string;
  /** The client's address. */
  source: string;
}

interface Counts {
  pair: number;
  source: number;
  account: number;
  trusted: boolean;
}

async function counts(deps: Pick<Deps, "db" | "clock">, key: LoginKey): Promise<Counts> {
  const now = deps.clock.now().getTime();
  const since = new Date(now - WINDOW_MS);
  const trustedSince = new Date(now - TRUSTED_MS);
  const row = await sql<{ pair: string; source: string; account: string; trusted: string }>`
    with rows as (
      select account, source, succeeded, created_at from login_attempts
      where (account = ${key.account} or source = ${key.source}) and created_at > ${trustedSince}
    ), pair_success as (
      select max(created_at) as at from rows where account = ${key.account} and source = ${key.source} and succeeded
    )
    select
      count(*) filter (where account = ${key.account} and source = ${key.source} and not succeeded and created_at > ${since}
        and created_at > coalesce((select at from pair_success), '-infinity'::timestamptz)) as pair,
      count(*) filter (where source = ${key.source} and not succeeded and created_at > ${since}) as source,
      count(*) filter (where account = ${key.account} and not succeeded and created_at > ${since}) as account,
      count(*) filter (where account = ${key.account} and source = ${key.source} and succeeded) as trusted
    from rows`.execute(deps.db);
  const r = row.rows[0];
  return { pair: Number(r?.pair ?? 0), source: Number(r?.source ?? 0), account: Number(r?.account ?? 0), trusted: Number(r?.trusted ?? 0) > 0 };
}

/** Throws RATE_LIMITED when this source may not try this account now (before any password check). */
export async function checkLoginAllowed(deps: Pick<Deps, "db" | "clock" | "log">, key: LoginKey): Promise<void> {
  const c = await counts(deps, key);
  const refused = c.pair >= PAIR_LIMIT ? "pair" : c.source >= SOURCE_LIMIT ? "source" : c.account >= ACCOUNT_LIMIT && !c.trusted ? "account" : null;
  if (!refused) return;
  deps.log.warn({ event: "login_throttled", limit: refused }, "sign-in refused: too many failures");
  throw new DomainError("RATE_LIMITED", "too many failed sign-ins; try again in 15 minutes");
}

/** Remembers an attempt's outcome (only attempts that reached the password check). */
export async function recordLoginAttempt(deps: Pick<Deps, "db" | "clock">, key: LoginKey, succeeded: boolean): Promise<void> {
  await deps.db.insertInto("login_attempts").values({ account: key.account, source: key.source, succeeded, created_at: deps.clock.now() }).execute();
}

/** Drops attempts older than the trust memory; called by housekeeping. */
export async function pruneLoginAttempts(deps: Pick<Deps, "db" | "clock">): Promise<void> {
  await deps.db.deleteFrom("login_attempts").where("created_at", "<", new Date(deps.clock.now().getTime() - TRUSTED_MS)).execute();
}
