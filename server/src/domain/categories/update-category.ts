import type { Category } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { diff, recordAudit } from "../shared/audit.ts";
import { assertCategoryNameFree, assertValidParent } from "./category-rules.ts";
import { presentCategory } from "./present-category.ts";

export interface UpdateCategoryInput {
  name?: string;
  parentId?: string | null;
  difficulty?: number;
}

/** Renames, moves or re-weights a category. */
export async function updateCategory(ctx: Ctx, categoryId: string, input: UpdateCategoryInput): Promise<Category> {
  return inTransaction(ctx, async (tx) => {
    const before = found(
      await tx.selectFrom("categories").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", categoryId).forUpdate().executeTakeFirst(),
      "category",
    );
    if (input.name !== undefined) await assertCategoryNameFree(tx, ctx, input.name, categoryId);
    if (input.parentId) await assertValidParent(tx, ctx, input.parentId, categoryId);
    const changes = diff(
      { name: before.name, parentId: before.parent_id, difficulty: Number(before.difficulty) },
      { name: input.name, parentId: input.parentId, difficulty: input.difficulty },
    );
    if (Object.keys(changes).length === 0) return presentCategory(before);
    const row = await tx
      .updateTable("categories")
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
        ...(input.difficulty !== undefined ? { difficulty: input.difficulty } : {}),
        updated_at: ctx.deps.clock.now(),
      })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", categoryId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "category.updated", entityType: "category", entityId: categoryId, changes });
    return presentCategory(row);
  });
}
