import type { Executor } from "../../db/database.ts";
import type { Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";

/** The category, in ctx's tenant, or NOT_FOUND. */
export async function findCategory(db: Executor, ctx: Ctx, categoryId: string): Promise<{ id: string; name: string }> {
  return found(await db.selectFrom("categories").select(["id", "name"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", categoryId).executeTakeFirst(), "category");
}

export async function findQueue(db: Executor, ctx: Ctx, queueId: string): Promise<{ id: string; name: string }> {
  return found(await db.selectFrom("queues").select(["id", "name"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", queueId).executeTakeFirst(), "queue");
}

/** A user who can take work: in ctx's tenant (NOT_FOUND otherwise) and active. */
export async function findAssignableUser(db: Executor, ctx: Ctx, userId: string): Promise<{ id: string; name: string }> {
  const user = found(
    await db.selectFrom("users").select(["id", "display_name", "is_active"]).where("tenant_id", "=", ctx.tenantId).where("id", "=", userId).executeTakeFirst(),
    "user",
  );
  if (!user.is_active) throw new DomainError("VALIDATION_FAILED", `${user.display_name} is deactivated and cannot be assigned tickets`);
  return { id: user.id, name: user.display_name };
}
