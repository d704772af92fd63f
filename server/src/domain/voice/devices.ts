import { roleCan, type SipDevice, type SipDeviceSecret, type SoftphoneCredentials } from "@yixian/contracts";
import type { Row } from "../../db/schema.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError, notFound } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { devicePassword, ha1Pair, softphonePassword } from "./sip-secrets.ts";

/**
 * Each agent's SIP device. The user name is `<tenant slug>.<extension>` (unique on the server:
 * a REGISTER finds its tenant and agent by it), the extension counts from 1001 within the tenant.
 * A desk phone's password is shown once, when it is set or rotated; the console's softphone
 * registers with a password derived from the signed-in session instead.
 */
const FIRST_EXTENSION = 1001;

async function deviceRow(ctx: Ctx, userId: string): Promise<Row<"sip_devices">> {
  const existing = await ctx.deps.db.selectFrom("sip_devices").selectAll().where("tenant_id", "=", ctx.tenantId).where("user_id", "=", userId).executeTakeFirst();
  if (existing) return existing;
  return inTransaction(ctx, async (tx) => {
    const user = await tx
      .selectFrom("users as u")
      .innerJoin("tenants as t", "t.id", "u.tenant_id")
      .select(["u.id", "t.slug"])
      .where("u.tenant_id", "=", ctx.tenantId)
      .where("u.id", "=", userId)
      .executeTakeFirst();
    if (!user) throw notFound("user");
    // one device per tenant at a time gets its extension (the lock orders two first requests)
    await tx.selectFrom("tenants").select("id").where("id", "=", ctx.tenantId).forUpdate().execute();
    const again = await tx.selectFrom("sip_devices").selectAll().where("user_id", "=", userId).executeTakeFirst();
    if (again) return again;
    const last = await tx.selectFrom("sip_devices").select((eb) => eb.fn.max(eb.cast<number>("extension", "integer")).as("n")).where("tenant_id", "=", ctx.tenantId).executeTakeFirst();
    const extension = String(Math.max(FIRST_EXTENSION - 1, Number(last?.n ?? 0)) + 1);
    const username = `${user.slug}.${extension}`;
    const realm = ctx.deps.config.sipRealm;
    // nobody knows this password: a desk phone needs a rotation first
    const { md5, sha256 } = ha1Pair(username, realm, devicePassword());
    return tx
      .insertInto("sip_devices")
      .values({ user_id: userId, tenant_id: ctx.tenantId, extension, username, realm, ha1_md5: md5, ha1_sha256: sha256, password_set_at: ctx.deps.clock.now() })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

async function present(ctx: Ctx, row: Row<"sip_devices">): Promise<SipDevice> {
  const registrations = await ctx.deps.db
    .selectFrom("sip_registrations")
    .select(["transport", "user_agent", "expires_at"])
    .where("username", "=", row.username)
    .where("expires_at", ">", ctx.deps.clock.now())
    .orderBy("expires_at", "desc")
    .execute();
  return {
    userId: row.user_id,
    extension: row.extension,
    username: row.username,
    realm: row.realm,
    passwordSetAt: new Date(row.password_set_at).toISOString(),
    server: {
      address: ctx.deps.config.sipPublicAddress ?? ctx.deps.config.sipAddress,
      udpPort: ctx.deps.config.sipUdpPort,
      tcpPort: ctx.deps.config.sipTcpPort,
      tlsPort: ctx.deps.config.sipTls.port,
    },
    registrations: registrations.map((r) => ({ transport: r.transport as SipDevice["registrations"][number]["transport"], userAgent: r.user_agent, expiresAt: new Date(r.expires_at).toISOString() })),
  };
}

export async function getSipDevice(ctx: Ctx, userId: string): Promise<SipDevice> {
  return present(ctx, await deviceRow(ctx, userId));
}

/** Sets a new desk-phone password and returns it, once. Registrations made with the old one end. */
export async function rotateSipDevicePassword(ctx: Ctx, userId: string): Promise<SipDeviceSecret> {
  const self = ctx.actor.type === "user" && ctx.actor.id === userId;
  if (!self && !(ctx.actor.type === "user" && roleCan(ctx.actor.role, "user:manage"))) {
    throw new DomainError("FORBIDDEN", "only a user manager may set another user's SIP password");
  }
  const row = await deviceRow(ctx, userId);
  const password = devicePassword();
  const realm = ctx.deps.config.sipRealm;
  const { md5, sha256 } = ha1Pair(row.username, realm, password);
  const updated = await inTransaction(ctx, async (tx) => {
    const next = await tx
      .updateTable("sip_devices")
      .set({ ha1_md5: md5, ha1_sha256: sha256, realm, password_set_at: ctx.deps.clock.now() })
      .where("user_id", "=", userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx.deleteFrom("sip_registrations").where("username", "=", row.username).where("session_id", "is", null).execute();
    await recordAudit(tx, ctx, { action: "sip_device.password_rotated", entityType: "user", entityId: userId, changes: { username: row.username } });
    return next;
  });
  return { ...(await present(ctx, updated)), password };
}

/** The signed-in agent's softphone credentials, for this session only. */
export async function softphoneCredentials(ctx: Ctx, session: { userId: string; sessionId: string }): Promise<SoftphoneCredentials> {
  const row = await deviceRow(ctx, session.userId);
  const { config } = ctx.deps;
  return {
    username: row.username,
    password: softphonePassword(config, session.sessionId),
    realm: config.sipRealm,
    uri: `sip:${row.username}@${config.sipRealm}`,
    websocketPath: "/sip",
    iceServers: config.sipIceServers,
    iceGatheringTimeoutMs: config.sipIceTimeoutMs,
    media: ctx.deps.phoneMedia?.ready() ? "ready" : "unavailable",
  };
}
