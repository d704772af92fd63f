import type { Row } from "../../db/schema.ts";
import { inTransaction, type Deps } from "../context.ts";
import { registeredPhones } from "../presence/phones.ts";
import { announcePresence } from "../presence/presence-store.ts";
import { ha1Pair, softphonePassword } from "./sip-secrets.ts";

/**
 * What the SIP registrar needs to check a REGISTER's digest: the device's HA1s, and one pair per
 * live session of the agent (the console's softphone password is derived from its session, so a
 * signed-out session can no longer register).
 */
export interface SipAccount {
  tenantId: string;
  userId: string;
  username: string;
  realm: string;
  device: { md5: string; sha256: string };
  sessions: { sessionId: string; md5: string; sha256: string }[];
}

export async function findSipAccount(deps: Deps, username: string): Promise<SipAccount | null> {
  const device = await deps.db
    .selectFrom("sip_devices as d")
    .innerJoin("users as u", "u.id", "d.user_id")
    .select(["d.tenant_id", "d.user_id", "d.username", "d.realm", "d.ha1_md5", "d.ha1_sha256"])
    .where("d.username", "=", username)
    .where("u.is_active", "=", true)
    .executeTakeFirst();
  if (!device) return null;
  const sessions = await deps.db
    .selectFrom("sessions")
    .select("id")
    .where("user_id", "=", device.user_id)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", deps.clock.now())
    .orderBy("id")
    .execute();
  const realm = deps.config.sipRealm;
  return {
    tenantId: device.tenant_id,
    userId: device.user_id,
    username: device.username,
    realm: device.realm,
    device: { md5: device.ha1_md5, sha256: device.ha1_sha256 },
    sessions: sessions.map((s) => ({ sessionId: s.id, ...ha1Pair(device.username, realm, softphonePassword(deps.config, s.id)) })),
  };
}

export interface SipRegistration {
  username: string;
  contact: string;
  transport: "udp" | "tcp" | "tls" | "ws" | "wss";
  /** The call layer's serialised flow (address and connection the device is reachable on). */
  flow: string;
  /** The node holding the device's connection. */
  nodeId: string | null;
  callId: string;
  cseq: number;
  sessionId: string | null;
  userAgent: string | null;
  expiresAt: Date;
}

/**
 * Whether an agent can be rung is part of their presence: when it changes, supervisors hear
 * `presence:changed` (agents who never set a presence have nothing to announce), and a device
 * that came up asks routing for a pass, since a waiting call may now ring it.
 */
async function phoneReachabilityChanged(deps: Deps, tenantId: string, userId: string, registered: boolean): Promise<void> {
  await inTransaction({ deps }, async (tx) => {
    const row = await tx.selectFrom("agent_presence").selectAll().where("tenant_id", "=", tenantId).where("user_id", "=", userId).executeTakeFirst();
    if (row) await announcePresence(tx, row);
  });
  if (registered) deps.routing.kick();
}

/** After bindings were removed: the agents left with no live one are no longer reachable. */
async function bindingsRemoved(deps: Deps, gone: { tenant_id: string; user_id: string }[]): Promise<void> {
  const users = new Map(gone.map((g) => [g.user_id, g.tenant_id]));
  for (const [userId, tenantId] of users) {
    if (!(await registeredPhones(deps.db, tenantId, [userId], deps.clock.now())).has(userId)) await phoneReachabilityChanged(deps, tenantId, userId, false);
  }
}

/** Stores (or refreshes) a binding. */
export async function saveSipRegistration(deps: Deps, account: Pick<SipAccount, "tenantId" | "userId">, r: SipRegistration): Promise<void> {
  const now = deps.clock.now();
  const before = await registeredPhones(deps.db, account.tenantId, [account.userId], now);
  const row = {
    transport: r.transport,
    flow: r.flow,
    node_id: r.nodeId,
    call_id: r.callId,
    cseq: r.cseq,
    session_id: r.sessionId,
    user_agent: r.userAgent,
    expires_at: r.expiresAt,
    updated_at: now,
  };
  await deps.db
    .insertInto("sip_registrations")
    .values({ username: r.username, contact: r.contact, tenant_id: account.tenantId, user_id: account.userId, ...row })
    .onConflict((oc) => oc.columns(["username", "contact"]).doUpdateSet(row))
    .execute();
  if (!before.has(account.userId) && r.expiresAt > now) await phoneReachabilityChanged(deps, account.tenantId, account.userId, true);
}

/** Removes one binding, or all of a user name's (REGISTER with Contact: *). */
export async function removeSipRegistrations(deps: Deps, username: string, contact?: string): Promise<void> {
  let q = deps.db.deleteFrom("sip_registrations").where("username", "=", username);
  if (contact !== undefined) q = q.where("contact", "=", contact);
  await bindingsRemoved(deps, await q.returning(["tenant_id", "user_id"]).execute());
}

/** Ends the softphone registrations a signed-out session made. */
export async function removeSessionRegistrations(deps: Deps, sessionId: string): Promise<number> {
  const gone = await deps.db.deleteFrom("sip_registrations").where("session_id", "=", sessionId).returning(["tenant_id", "user_id"]).execute();
  await bindingsRemoved(deps, gone);
  return gone.length;
}

/**
 * Drops bindings that expired without an unREGISTER (a desk phone unplugged, a browser gone):
 * routing already ignores them, this tells supervisors. Each row is deleted by one node only.
 */
export async function sweepExpiredRegistrations(deps: Deps): Promise<number> {
  const gone = await deps.db.deleteFrom("sip_registrations").where("expires_at", "<=", deps.clock.now()).returning(["tenant_id", "user_id"]).execute();
  await bindingsRemoved(deps, gone);
  return gone.length;
}

function present(r: Row<"sip_registrations">): SipRegistration {
  return {
    username: r.username,
    contact: r.contact,
    transport: r.transport as SipRegistration["transport"],
    flow: r.flow,
    nodeId: r.node_id,
    callId: r.call_id,
    cseq: r.cseq,
    sessionId: r.session_id,
    userAgent: r.user_agent,
    expiresAt: new Date(r.expires_at),
  };
}

/** The live bindings of a user name. */
export async function sipRegistrationsByUsername(deps: Deps, username: string): Promise<SipRegistration[]> {
  const rows = await deps.db.selectFrom("sip_registrations").selectAll().where("username", "=", username).where("expires_at", ">", deps.clock.now()).execute();
  return rows.map(present);
}

/** The live bindings of an agent's devices, newest first: where to ring them. */
export async function sipRegistrationsOf(deps: Deps, tenantId: string, userId: string): Promise<SipRegistration[]> {
  const rows = await deps.db
    .selectFrom("sip_registrations")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .where("expires_at", ">", deps.clock.now())
    .orderBy("updated_at", "desc")
    .execute();
  return rows.map(present);
}
