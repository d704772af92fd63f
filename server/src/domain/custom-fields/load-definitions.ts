import { CUSTOM_FIELD_TYPES, type CustomFieldEntity } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Ctx } from "../context.ts";
import type { FieldDefinition } from "./validate-custom-fields.ts";

/** The tenant's custom field definitions for one kind of record. */
export async function loadFieldDefinitions(db: Executor, ctx: Ctx, entity: CustomFieldEntity): Promise<FieldDefinition[]> {
  const rows = await db
    .selectFrom("custom_field_definitions")
    .select(["key", "type", "options", "required"])
    .where("tenant_id", "=", ctx.tenantId)
    .where("entity", "=", entity)
    .execute();
  return fieldDefinitions(rows);
}

/** Definitions from their stored rows (a type this version does not know is left out). */
export function fieldDefinitions(rows: readonly { key: string; type: string; options: unknown[]; required: boolean }[]): FieldDefinition[] {
  return rows.flatMap((r) => {
    const type = CUSTOM_FIELD_TYPES.find((t) => t === r.type);
    return type ? [{ key: r.key, type, options: r.options.filter((o): o is string => typeof o === "string"), required: r.required }] : [];
  });
}
