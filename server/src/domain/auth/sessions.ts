import { createHash } from "node:crypto";
import { ZRole, type Role } from "@yixian/contracts";
import { CompiledQuery, sql } from "kysely";
import { randomToken } from "../../platform/ids.ts";
import type { Deps } from "../context.ts";
import { DomainError } from "../errors.ts";
import { checkLoginAllowed, recordLoginAttempt } from "./login-throttle.ts";
import { dummyHash, verifyPassword } from "./password.ts";
import { revokeSessions } from "./revoke-sessions.ts";

export interface SessionUser {
  sessionId: string;
  userId: string;
  tenantId: string;
  role: Role;
  name: string;
  email: string;
  /** When the session ends by itself (sockets are cut off then). */
  expiresAt: Date;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Checks e-mail and password, throttled by account and source (login-throttle.ts); on success
 * opens a session and returns its bearer token.
 */
export async function login(
  deps: Deps,
  input: { email: string; password: string; source: string; userAgent?: string | undefined },
): Promise<{ token: string; expiresAt: Date; user: SessionUser }> {
  const email = input.email.trim().toLowerCase();
  const key = { account: email, source: input.source };
  await checkLoginAllowed(deps, key);
  const user = await deps.db
    .selectFrom("users")
    .select(["id", "tenant_id", "role", "display_name", "email", "password_hash", "is_active"])
    .where(sql`lower(email)`, "=", email)
    .executeTakeFirst();
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummyHash()));
  if (!user || !ok || !user.is_active) {
    await recordLoginAttempt(deps, key, false);
    deps.log.info({ event: "login_failed" }, "sign-in refused");
    throw new DomainError("INVALID_CREDENTIALS", "e-mail or password is wrong");
  }
  await recordLoginAttempt(deps, key, true);
  const now = deps.clock.now();
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + deps.config.sessionTtlHours * 3_600_000);
  const session = await deps.db
    .insertInto("sessions")
    .values({
      tenant_id: user.tenant_id,
      user_id: user.id,
      token_hash: hashToken(token),
      user_agent: input.userAgent?.slice(0, 300) ?? null,
      expires_at: expiresAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return {
    token,
    expiresAt,
    user: {
      sessionId: session.id,
      userId: user.id,
      tenantId: user.tenant_id,
      role: ZRole.parse(user.role),
      name: user.display_name,
      email: user.email,
      expiresAt,
    },
  };
}

/**
 * The session behind a token hash, with its user, if neither revoked, expired nor disabled. Written
 * out: every API request runs it, and building it with Kysely cost about what running it did.
 */
const SESSION_USER = `select s.id as session_id, s.expires_at, u.id as user_id, u.tenant_id, u.role, u.display_name, u.email
from sessions s inner join users u on u.id = s.user_id
where s.token_hash = $1 and s.revoked_at is null and s.expires_at > $2 and u.is_active = true`;

interface SessionRow {
  session_id: string;
  expires_at: Date | string;
  user_id: string;
  tenant_id: string;
  role: string;
  display_name: string;
  email: string;
}

/** The signed-in user behind a token, or null if it is unknown, expired, revoked or disabled. */
export async function resolveSession(deps: Deps, token: string): Promise<SessionUser | null> {
  const result = await deps.db.executeQuery<SessionRow>(CompiledQuery.raw(SESSION_USER, [hashToken(token), deps.clock.now()]));
  const row = result.rows[0];
  if (!row) return null;
  return {
    sessionId: row.session_id,
    userId: row.user_id,
    tenantId: row.tenant_id,
    role: ZRole.parse(row.role),
    name: row.display_name,
    email: row.email,
    expiresAt: new Date(row.expires_at),
  };
}

/** Ends the session; its sockets on every node are disconnected once this commits. */
export async function logout(deps: Deps, session: Pick<SessionUser, "sessionId" | "tenantId">): Promise<void> {
  await deps.outbox.transaction((tx) => revokeSessions(tx, { tenantId: session.tenantId, sessionId: session.sessionId, now: deps.clock.now(), reason: "signed_out" }));
}
