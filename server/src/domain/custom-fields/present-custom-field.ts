import type { CustomFieldDefinition, CustomFieldEntity, CustomFieldType } from "@yixian/contracts";
import type { Row } from "../../db/schema.ts";
import { isoRequired } from "../shared/pagination.ts";

export function presentCustomField(row: Row<"custom_field_definitions">): CustomFieldDefinition {
  return {
    id: row.id,
    entity: row.entity as CustomFieldEntity,
    key: row.key,
    label: row.label,
    type: row.type as CustomFieldType,
    options: row.options.filter((o): o is string => typeof o === "string"),
    required: row.required,
    createdAt: isoRequired(row.created_at),
  };
}
