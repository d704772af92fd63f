import type { Category } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { recordAudit } from "../shared/audit.ts";
import { newId } from "../../platform/ids.ts";
import { assertCategoryNameFree, assertValidParent } from "./category-rules.ts";
import { presentCategory } from "./present-category.ts";

export interface CreateCategoryInput {
  name: string;
  parentId: string | null;
  difficulty: number;
}

/** Adds a problem type with its difficulty coefficient (tickets solved × difficulty = performance). */
export async function createCategory(ctx: Ctx, input: CreateCategoryInput): Promise<Category> {
  return inTransaction(ctx, async (tx) => {
    await assertCategoryNameFree(tx, ctx, input.name, null);
    if (input.parentId) await assertValidParent(tx, ctx, input.parentId, null);
    const now = ctx.deps.clock.now();
    const row = await tx
      .insertInto("categories")
      .values({ id: newId(now.getTime()), tenant_id: ctx.tenantId, name: input.name, parent_id: input.parentId, difficulty: input.difficulty, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, {
      action: "category.created",
      entityType: "category",
      entityId: row.id,
      changes: { name: input.name, parentId: input.parentId, difficulty: input.difficulty },
    });
    return presentCategory(row);
  });
}
