import { inTransaction, type Ctx } from "../context.ts";
import { recordAudit } from "../shared/audit.ts";
import { lockCustomField } from "./update-custom-field.ts";

/** Removes a definition. Values already stored on records stay (history), but can no longer be set. */
export async function deleteCustomField(ctx: Ctx, customFieldId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await lockCustomField(tx, ctx, customFieldId);
    await tx.deleteFrom("custom_field_definitions").where("tenant_id", "=", ctx.tenantId).where("id", "=", customFieldId).execute();
    await recordAudit(tx, ctx, {
      action: "custom_field.deleted",
      entityType: "custom_field",
      entityId: customFieldId,
      changes: { entity: row.entity, key: row.key, label: row.label, type: row.type },
    });
  });
}
