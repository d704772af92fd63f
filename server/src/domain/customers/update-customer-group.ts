import type { CustomerGroup, ZUpdateCustomerGroup } from "@yixian/contracts";
import type { z } from "zod";
import { inTransaction, type Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { diff, recordAudit } from "../shared/audit.ts";
import { groupNameTaken } from "./create-customer-group.ts";
import { presentCustomerGroup } from "./present.ts";

export async function updateCustomerGroup(ctx: Ctx, customerGroupId: string, input: z.infer<typeof ZUpdateCustomerGroup>): Promise<CustomerGroup> {
  return inTransaction(ctx, async (tx) => {
    const before = found(
      await tx.selectFrom("customer_groups").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", customerGroupId).forUpdate().executeTakeFirst(),
      "customer group",
    );
    const changes = diff(before, input);
    if (Object.keys(changes).length === 0) return presentCustomerGroup(before);
    if (changes.name && input.name) {
      const holder = await tx
        .selectFrom("customer_groups")
        .select("id")
        .where("tenant_id", "=", ctx.tenantId)
        .where("name", "=", input.name)
        .executeTakeFirst();
      if (holder) throw groupNameTaken(input.name);
    }
    const row = await tx
      .updateTable("customer_groups")
      .set({ name: input.name, description: input.description, updated_at: ctx.deps.clock.now() })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", customerGroupId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "customer_group.updated", entityType: "customer_group", entityId: row.id, changes });
    return presentCustomerGroup(row);
  });
}
