import type { CustomFieldDefinition, CustomFieldEntity } from "@yixian/contracts";
import type { Ctx } from "../context.ts";
import { presentCustomField } from "./present-custom-field.ts";

/** The tenant's custom field definitions, optionally for one kind of record. */
export async function listCustomFields(ctx: Ctx, entity?: CustomFieldEntity): Promise<CustomFieldDefinition[]> {
  let q = ctx.deps.db.selectFrom("custom_field_definitions").selectAll().where("tenant_id", "=", ctx.tenantId);
  if (entity) q = q.where("entity", "=", entity);
  const rows = await q.orderBy("entity").orderBy("created_at").orderBy("id").execute();
  return rows.map(presentCustomField);
}
