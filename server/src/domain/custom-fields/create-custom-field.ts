import type { CustomFieldDefinition, CustomFieldEntity, CustomFieldType } from "@yixian/contracts";
import { newId } from "../../platform/ids.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { presentCustomField } from "./present-custom-field.ts";

export interface CreateCustomFieldInput {
  entity: CustomFieldEntity;
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  required: boolean;
}

/** Defines a tenant-specific field; its key is how API clients address the value. */
export async function createCustomField(ctx: Ctx, input: CreateCustomFieldInput): Promise<CustomFieldDefinition> {
  return inTransaction(ctx, async (tx) => {
    const taken = await tx
      .selectFrom("custom_field_definitions")
      .select("id")
      .where("tenant_id", "=", ctx.tenantId)
      .where("entity", "=", input.entity)
      .where("key", "=", input.key)
      .executeTakeFirst();
    if (taken) throw new DomainError("NAME_TAKEN", `a ${input.entity} field with key ${input.key} already exists`);
    const now = ctx.deps.clock.now();
    const row = await tx
      .insertInto("custom_field_definitions")
      .values({
        id: newId(now.getTime()),
        tenant_id: ctx.tenantId,
        entity: input.entity,
        key: input.key,
        label: input.label,
        type: input.type,
        options: JSON.stringify(input.type === "select" ? [...new Set(input.options)] : []),
        required: input.required,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "custom_field.created", entityType: "custom_field", entityId: row.id, changes: { ...input } });
    return presentCustomField(row);
  });
}
