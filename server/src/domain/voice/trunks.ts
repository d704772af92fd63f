import { rooms, type IvrLanguage, type Trunk, type TrunkInput } from "@yixian/contracts";
import type { Transaction } from "kysely";
import type { DB, Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError, notFound } from "../errors.ts";
import { recordEvent } from "../events/outbox.ts";
import { recordAudit } from "../shared/audit.ts";
import { presentDid, tenantIvrLanguage } from "./number-ivr.ts";
import { ha1Pair, seal } from "./sip-secrets.ts";
import { presentRegistrationStatus } from "./trunk-registrations.ts";

/**
 * SIP trunks of a tenant with their numbers. A number (DID) belongs to one trunk on the whole
 * server, since an inbound call finds its tenant by the number dialled: a number another trunk
 * holds is refused with DID_TAKEN. Secrets are stored as HA1 (inbound digest) or sealed
 * (outbound registration) and never returned.
 */
type TrunkRow = Row<"sip_trunks">;
type DidRow = Row<"sip_dids">;
type StatusRow = Row<"sip_trunk_registrations">;

function present(row: TrunkRow, dids: DidRow[], language: IvrLanguage, status: StatusRow | undefined): Trunk {
  const registration = row.registration as { registrar: string; username: string; expiresSeconds: number } | null;
  return {
    id: row.id,
    name: row.name,
    hosts: row.hosts,
    transport: row.transport as Trunk["transport"],
    allowedSources: row.allowed_sources,
    digestUsername: row.digest_username,
    registration: registration ? { registrar: registration.registrar, username: registration.username, expiresSeconds: registration.expiresSeconds } : null,
    registrationStatus: registration ? presentRegistrationStatus(status) : null,
    callerId: row.caller_id,
    dids: dids.map((d) => presentDid(d, language)),
    enabled: row.enabled,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

async function didsOf(db: Ctx["deps"]["db"] | Transaction<DB>, trunkIds: string[]): Promise<Map<string, DidRow[]>> {
  const rows = trunkIds.length ? await db.selectFrom("sip_dids").selectAll().where("trunk_id", "in", trunkIds).orderBy("position").execute() : [];
  const map = new Map<string, DidRow[]>();
  for (const r of rows) map.set(r.trunk_id, [...(map.get(r.trunk_id) ?? []), r]);
  return map;
}

async function statusesOf(db: Ctx["deps"]["db"], trunkIds: string[]): Promise<Map<string, StatusRow>> {
  const rows = trunkIds.length ? await db.selectFrom("sip_trunk_registrations").selectAll().where("trunk_id", "in", trunkIds).execute() : [];
  return new Map(rows.map((r) => [r.trunk_id, r]));
}

export async function listTrunks(ctx: Ctx): Promise<Trunk[]> {
  const rows = await ctx.deps.db.selectFrom("sip_trunks").selectAll().where("tenant_id", "=", ctx.tenantId).orderBy("name").execute();
  const ids = rows.map((r) => r.id);
  const [dids, statuses, language] = [await didsOf(ctx.deps.db, ids), await statusesOf(ctx.deps.db, ids), await tenantIvrLanguage(ctx.deps.db, ctx.tenantId)];
  return rows.map((r) => present(r, dids.get(r.id) ?? [], language, statuses.get(r.id)));
}

export async function getTrunk(ctx: Ctx, trunkId: string): Promise<Trunk> {
  const row = await ctx.deps.db.selectFrom("sip_trunks").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", trunkId).executeTakeFirst();
  if (!row) throw notFound("trunk");
  const [dids, statuses] = [await didsOf(ctx.deps.db, [row.id]), await statusesOf(ctx.deps.db, [row.id])];
  return present(row, dids.get(row.id) ?? [], await tenantIvrLanguage(ctx.deps.db, ctx.tenantId), statuses.get(row.id));
}

/** Nodes registering trunks at their providers hear it at once (and the trunks page refetches). */
function trunkChanged(tx: Transaction<DB>, ctx: Ctx, trunkId: string): Promise<void> {
  return recordEvent(tx, { tenantId: ctx.tenantId, event: "trunk:changed", rooms: [rooms.tenant(ctx.tenantId)], payload: { id: trunkId, at: ctx.deps.clock.now().toISOString() } });
}

function columns(ctx: Ctx, input: TrunkInput) {
  const digest = input.digest ? ha1Pair(input.digest.username, ctx.deps.config.sipRealm, input.digest.password) : null;
  return {
    name: input.name,
    hosts: input.hosts,
    transport: input.transport,
    allowed_sources: input.allowedSources,
    digest_username: input.digest?.username ?? null,
    digest_ha1_md5: digest?.md5 ?? null,
    digest_ha1_sha256: digest?.sha256 ?? null,
    registration: input.registration
      ? JSON.stringify({ registrar: input.registration.registrar, username: input.registration.username, expiresSeconds: input.registration.expiresSeconds })
      : null,
    registration_secret: input.registration ? seal(ctx.deps.config, input.registration.password) : null,
    caller_id: input.callerId,
    enabled: input.enabled,
  };
}

async function writeDids(tx: Transaction<DB>, ctx: Ctx, trunkId: string, input: TrunkInput): Promise<void> {
  const numbers = input.dids.map((d) => d.number);
  if (numbers.length) {
    const taken = await tx.selectFrom("sip_dids").select("number").where("number", "in", numbers).where("trunk_id", "!=", trunkId).execute();
    if (taken.length) throw new DomainError("DID_TAKEN", `${taken.map((t) => t.number).join(", ")} already land on another trunk`);
    const queueIds = [...new Set(input.dids.flatMap((d) => (d.queueId ? [d.queueId] : [])))];
    if (queueIds.length) {
      const found = await tx.selectFrom("queues").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "in", queueIds).execute();
      if (found.length !== queueIds.length) throw notFound("queue");
    }
  }
  // a number saved without IVR settings keeps the ones it has
  const removed = await tx.deleteFrom("sip_dids").where("trunk_id", "=", trunkId).returning(["number", "ivr"]).execute();
  const kept = new Map(removed.map((r) => [r.number, r.ivr]));
  if (numbers.length) {
    await tx
      .insertInto("sip_dids")
      .values(
        input.dids.map((d, position) => {
          const ivr = d.ivr ?? kept.get(d.number) ?? null;
          return { number: d.number, tenant_id: ctx.tenantId, trunk_id: trunkId, label: d.label, queue_id: d.queueId, position, ivr: ivr === null ? null : JSON.stringify(ivr) };
        }),
      )
      .execute();
  }
}

async function assertNameFree(tx: Transaction<DB>, ctx: Ctx, name: string, except: string | null): Promise<void> {
  let q = tx.selectFrom("sip_trunks").select("id").where("tenant_id", "=", ctx.tenantId).where("name", "=", name);
  if (except) q = q.where("id", "!=", except);
  if (await q.executeTakeFirst()) throw new DomainError("NAME_TAKEN", `a trunk named ${name} exists`);
}

/** What the audit log keeps of a trunk change: everything but the secrets. */
function audited(input: TrunkInput) {
  return { ...input, digest: input.digest ? { username: input.digest.username } : null, registration: input.registration ? { ...input.registration, password: undefined } : null };
}

export async function createTrunk(ctx: Ctx, input: TrunkInput): Promise<Trunk> {
  const id = await inTransaction(ctx, async (tx) => {
    await assertNameFree(tx, ctx, input.name, null);
    const now = ctx.deps.clock.now();
    const row = await tx
      .insertInto("sip_trunks")
      .values({ id: newId(now.getTime()), tenant_id: ctx.tenantId, ...columns(ctx, input), created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeDids(tx, ctx, row.id, input);
    await recordAudit(tx, ctx, { action: "trunk.created", entityType: "trunk", entityId: row.id, changes: audited(input) });
    await trunkChanged(tx, ctx, row.id);
    return row.id;
  });
  return getTrunk(ctx, id);
}

/** Replaces a trunk's settings and numbers (the admin page saves the whole trunk). */
export async function updateTrunk(ctx: Ctx, trunkId: string, input: TrunkInput): Promise<Trunk> {
  await inTransaction(ctx, async (tx) => {
    const found = await tx.selectFrom("sip_trunks").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", trunkId).forUpdate().executeTakeFirst();
    if (!found) throw notFound("trunk");
    await assertNameFree(tx, ctx, input.name, trunkId);
    await tx.updateTable("sip_trunks").set({ ...columns(ctx, input), updated_at: ctx.deps.clock.now() }).where("id", "=", trunkId).execute();
    await writeDids(tx, ctx, trunkId, input);
    await recordAudit(tx, ctx, { action: "trunk.updated", entityType: "trunk", entityId: trunkId, changes: audited(input) });
    await trunkChanged(tx, ctx, trunkId);
  });
  return getTrunk(ctx, trunkId);
}

export async function deleteTrunk(ctx: Ctx, trunkId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const gone = await tx.deleteFrom("sip_trunks").where("tenant_id", "=", ctx.tenantId).where("id", "=", trunkId).returning("name").executeTakeFirst();
    if (!gone) throw notFound("trunk");
    await recordAudit(tx, ctx, { action: "trunk.deleted", entityType: "trunk", entityId: trunkId, changes: { name: gone.name } });
    await trunkChanged(tx, ctx, trunkId);
  });
}
