import type { Category } from "@yixian/contracts";
import type { Row } from "../../db/schema.ts";
import { isoRequired } from "../shared/pagination.ts";

export function presentCategory(row: Row<"categories">): Category {
  return {
    id: row.id,
    name: row.name,
    parentId: row.parent_id,
    difficulty: Number(row.difficulty),
    createdAt: isoRequired(row.created_at),
    updatedAt: isoRequired(row.updated_at),
  };
}
