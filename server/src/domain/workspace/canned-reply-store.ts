import { roleCan, type CannedReply } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { agentOf } from "../shared/agent.ts";
import { DomainError, found } from "../errors.ts";
import { isoRequired } from "../shared/pagination.ts";

export type CannedReplyRow = Row<"canned_replies">;

export function presentCannedReply(row: CannedReplyRow): CannedReply {
  return {
    id: row.id,
    scope: row.owner_id ? "personal" : "tenant",
    ownerId: row.owner_id,
    shortcut: row.shortcut,
    title: row.title,
    body: row.body,
    category: row.category,
    tags: row.tags,
    usageCount: row.usage_count,
    createdAt: isoRequired(row.created_at),
    updatedAt: isoRequired(row.updated_at),
  };
}

/** Tenant-wide replies are managed by those who manage the tenant's categories (supervisors, admins). */
export function assertMayManageTenantReplies(ctx: Ctx): void {
  if (ctx.actor.type !== "user" || !roleCan(ctx.actor.role, "category:manage")) {
    throw new DomainError("FORBIDDEN", "only a supervisor or admin manages the tenant's canned replies");
  }
}

/**
 * A reply the caller can use: a tenant-wide one or their own. Another agent's personal reply is
 * NOT_FOUND, so that its id says nothing. With `lock` the row is locked for the transaction.
 */
export async function visibleCannedReply(db: Executor, ctx: Ctx, cannedReplyId: string, options: { lock?: boolean } = {}): Promise<CannedReplyRow> {
  const me = agentOf(ctx);
  const query = db
    .selectFrom("canned_replies")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", cannedReplyId)
    .where((eb) => eb.or([eb("owner_id", "is", null), eb("owner_id", "=", me.id)]));
  return found(await (options.lock ? query.forUpdate() : query).executeTakeFirst(), "canned reply");
}

/** The reply, locked, if the caller may change it: their own, or a tenant-wide one with category:manage. */
export async function editableCannedReply(db: Executor, ctx: Ctx, cannedReplyId: string): Promise<CannedReplyRow> {
  const row = await visibleCannedReply(db, ctx, cannedReplyId, { lock: true });
  if (!row.owner_id) assertMayManageTenantReplies(ctx);
  return row;
}

/** CONFLICT when the shortcut is taken in the same scope (tenant-wide, or the owner's own); case does not matter. */
export async function assertShortcutFree(db: Executor, ctx: Ctx, shortcut: string, ownerId: string | null, exceptId: string | null): Promise<void> {
  let query = db
    .selectFrom("canned_replies")
    .select("id")
    .where("tenant_id", "=", ctx.tenantId)
    .where((eb) => eb(eb.fn("lower", ["shortcut"]), "=", shortcut.toLowerCase()));
  query = ownerId ? query.where("owner_id", "=", ownerId) : query.where("owner_id", "is", null);
  if (exceptId) query = query.where("id", "<>", exceptId);
  if (await query.executeTakeFirst()) throw new DomainError("CONFLICT", `the shortcut ${shortcut} is already in use`);
}
