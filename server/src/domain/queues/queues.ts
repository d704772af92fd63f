import type { QueueDetail, UpdateQueueRouting, ZCreateQueue, ZUpdateQueue } from "@yixian/contracts";
import type { z } from "zod";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { diff, recordAudit } from "../shared/audit.ts";
import { isoRequired } from "../shared/pagination.ts";
import { applyQueueRouting, loadQueueSkills, presentRouting, routingPart } from "./queue-routing.ts";

type Queue = QueueDetail;
/** Create and update bodies may carry the routing configuration too. */
type CreateQueueInput = z.infer<typeof ZCreateQueue> & UpdateQueueRouting;
type UpdateQueueInput = z.infer<typeof ZUpdateQueue> & UpdateQueueRouting;

async function presentQueues(db: Executor, tenantId: string, rows: Row<"queues">[]): Promise<Queue[]> {
  const ids = rows.map((r) => r.id);
  const members = ids.length
    ? await db.selectFrom("queue_members").select(["queue_id", "user_id"]).where("tenant_id", "=", tenantId).where("queue_id", "in", ids).execute()
    : [];
  const skills = await loadQueueSkills(db, tenantId, ids);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    memberIds: members.filter((m) => m.queue_id === row.id).map((m) => m.user_id),
    ...presentRouting(row, skills.get(row.id) ?? []),
    createdAt: isoRequired(row.created_at),
    updatedAt: isoRequired(row.updated_at),
  }));
}

async function loadQueue(db: Executor, tenantId: string, queueId: string): Promise<Row<"queues">> {
  return found(await db.selectFrom("queues").selectAll().where("id", "=", queueId).where("tenant_id", "=", tenantId).executeTakeFirst(), "queue");
}

/** Replaces a queue's members; every member must be a user of the tenant. */
async function setMembers(tx: Executor, tenantId: string, queueId: string, memberIds: string[]): Promise<void> {
  const unique = [...new Set(memberIds)];
  if (unique.length) {
    const users = await tx.selectFrom("users").select("id").where("tenant_id", "=", tenantId).where("id", "in", unique).execute();
    if (users.length !== unique.length) throw new DomainError("NOT_FOUND", "user not found");
  }
  await tx.deleteFrom("queue_members").where("queue_id", "=", queueId).where("tenant_id", "=", tenantId).execute();
  if (unique.length) await tx.insertInto("queue_members").values(unique.map((user_id) => ({ tenant_id: tenantId, queue_id: queueId, user_id }))).execute();
}

export async function listQueues(ctx: Ctx): Promise<Queue[]> {
  const rows = await ctx.deps.db.selectFrom("queues").selectAll().where("tenant_id", "=", ctx.tenantId).orderBy("name").execute();
  return presentQueues(ctx.deps.db, ctx.tenantId, rows);
}

export async function getQueue(ctx: Ctx, queueId: string): Promise<Queue> {
  const [queue] = await presentQueues(ctx.deps.db, ctx.tenantId, [await loadQueue(ctx.deps.db, ctx.tenantId, queueId)]);
  return queue!;
}

export async function createQueue(ctx: Ctx, input: CreateQueueInput): Promise<Queue> {
  return inTransaction(ctx, async (tx) => {
    const row = await tx
      .insertInto("queues")
      .values({ id: newId(), tenant_id: ctx.tenantId, name: input.name, description: input.description })
      .onConflict((oc) => oc.columns(["tenant_id", "name"]).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new DomainError("NAME_TAKEN", `a queue named "${input.name}" already exists`);
    await setMembers(tx, ctx.tenantId, row.id, input.memberIds);
    const routing = await applyQueueRouting(tx, ctx, row, routingPart(input));
    await recordAudit(tx, ctx, { action: "queue.created", entityType: "queue", entityId: row.id, changes: { name: input.name, memberIds: input.memberIds, ...routing } });
    const [queue] = await presentQueues(tx, ctx.tenantId, [await loadQueue(tx, ctx.tenantId, row.id)]);
    return queue!;
  });
}

/** Renames a queue, replaces its members, or changes its routing; routing runs again at once. */
export async function updateQueue(ctx: Ctx, queueId: string, input: UpdateQueueInput): Promise<Queue> {
  const queue = await inTransaction(ctx, async (tx) => {
    const before = await loadQueue(tx, ctx.tenantId, queueId);
    const set = { name: input.name, description: input.description };
    const changes: Record<string, unknown> = diff(before, set);
    if (input.name && input.name !== before.name) {
      const clash = await tx.selectFrom("queues").select("id").where("tenant_id", "=", ctx.tenantId).where("name", "=", input.name).executeTakeFirst();
      if (clash) throw new DomainError("NAME_TAKEN", `a queue named "${input.name}" already exists`);
    }
    await tx
      .updateTable("queues")
      .set({ ...set, updated_at: ctx.deps.clock.now() })
      .where("id", "=", queueId)
      .where("tenant_id", "=", ctx.tenantId)
      .execute();
    if (input.memberIds) {
      await setMembers(tx, ctx.tenantId, queueId, input.memberIds);
      changes.memberIds = input.memberIds;
    }
    Object.assign(changes, await applyQueueRouting(tx, ctx, before, routingPart(input)));
    await recordAudit(tx, ctx, { action: "queue.updated", entityType: "queue", entityId: queueId, changes });
    const [queue] = await presentQueues(tx, ctx.tenantId, [await loadQueue(tx, ctx.tenantId, queueId)]);
    return queue!;
  });
  ctx.deps.routing.kick();
  return queue;
}
