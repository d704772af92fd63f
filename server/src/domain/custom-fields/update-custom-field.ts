import type { CustomFieldDefinition } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { diff, recordAudit } from "../shared/audit.ts";
import { presentCustomField } from "./present-custom-field.ts";

export interface UpdateCustomFieldInput {
  label?: string;
  options?: string[];
  required?: boolean;
}

export async function lockCustomField(tx: Executor, ctx: Ctx, customFieldId: string): Promise<Row<"custom_field_definitions">> {
  const row = await tx
    .selectFrom("custom_field_definitions")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", customFieldId)
    .forUpdate()
    .executeTakeFirst();
  return found(row, "custom field");
}

/** Changes a field's label, options or whether it is required; key and type stay, so stored values stay valid. */
export async function updateCustomField(ctx: Ctx, customFieldId: string, input: UpdateCustomFieldInput): Promise<CustomFieldDefinition> {
  return inTransaction(ctx, async (tx) => {
    const before = await lockCustomField(tx, ctx, customFieldId);
    const options = input.options === undefined ? undefined : [...new Set(input.options)];
    if (options !== undefined && before.type !== "select" && options.length > 0) {
      throw new DomainError("VALIDATION_FAILED", "only a select field has options");
    }
    if (options !== undefined && before.type === "select" && options.length === 0) {
      throw new DomainError("VALIDATION_FAILED", "a select field needs options");
    }
    const changes = diff({ label: before.label, options: before.options, required: before.required }, { label: input.label, options, required: input.required });
    if (Object.keys(changes).length === 0) return presentCustomField(before);
    const row = await tx
      .updateTable("custom_field_definitions")
      .set({
        ...(input.label !== undefined ? { label: input.label } : {}),
        ...(options !== undefined ? { options: JSON.stringify(options) } : {}),
        ...(input.required !== undefined ? { required: input.required } : {}),
      })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", customFieldId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "custom_field.updated", entityType: "custom_field", entityId: customFieldId, changes });
    return presentCustomField(row);
  });
}
