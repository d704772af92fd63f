import type { TenantPrompt } from "@yixian/contracts";
import type { Row } from "../../../db/schema.ts";
import type { Executor } from "../../../db/database.ts";

export type PromptRow = Row<"tenant_prompts"> & { uploader_name: string | null };

export function presentPrompt(row: PromptRow): TenantPrompt {
  return {
    id: row.id,
    name: row.name as TenantPrompt["name"],
    language: row.language as TenantPrompt["language"],
    durationMs: row.duration_ms,
    sizeBytes: row.size_bytes,
    originalFilename: row.original_filename,
    originalFormat: row.original_format as TenantPrompt["originalFormat"],
    uploadedBy: row.uploaded_by ? { id: row.uploaded_by, name: row.uploader_name ?? "" } : null,
    uploadedAt: new Date(row.created_at).toISOString(),
  };
}

/** The tenant's prompts with who uploaded them. */
export function promptRows(db: Executor, tenantId: string) {
  return db
    .selectFrom("tenant_prompts as p")
    .leftJoin("users as u", "u.id", "p.uploaded_by")
    .selectAll("p")
    .select("u.display_name as uploader_name")
    .where("p.tenant_id", "=", tenantId);
}
