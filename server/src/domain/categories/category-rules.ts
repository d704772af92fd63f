import type { Executor } from "../../db/database.ts";
import type { Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";

/** NAME_TAKEN when another category of the tenant already has this name. */
export async function assertCategoryNameFree(tx: Executor, ctx: Ctx, name: string, exceptId: string | null): Promise<void> {
  let q = tx.selectFrom("categories").select("id").where("tenant_id", "=", ctx.tenantId).where("name", "=", name);
  if (exceptId) q = q.where("id", "<>", exceptId);
  if (await q.executeTakeFirst()) throw new DomainError("NAME_TAKEN", `a category named ${name} already exists`);
}

/**
 * The parent must be a category of the tenant, and (for an existing category) neither itself
 * nor one of its descendants, so the tree never gets a cycle.
 */
export async function assertValidParent(tx: Executor, ctx: Ctx, parentId: string, categoryId: string | null): Promise<void> {
  found(await tx.selectFrom("categories").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", parentId).executeTakeFirst(), "parent category");
  if (!categoryId) return;
  const parents = new Map(
    (await tx.selectFrom("categories").select(["id", "parent_id"]).where("tenant_id", "=", ctx.tenantId).execute()).map((c) => [c.id, c.parent_id]),
  );
  for (let at: string | null | undefined = parentId; at; at = parents.get(at)) {
    if (at === categoryId) throw new DomainError("VALIDATION_FAILED", "a category cannot be placed under itself or one of its subcategories");
  }
}
