import type { TenantPrompt } from "@yixian/contracts";
import type { Downloadable } from "../../attachments/storage-port.ts";
import { inTransaction, type Ctx } from "../../context.ts";
import { DomainError, found } from "../../errors.ts";
import { recordAudit } from "../../shared/audit.ts";
import { dropCachedCopies } from "./prompt-cache.ts";
import { presentPrompt, promptRows } from "./present-prompt.ts";

/** The tenant's own recordings (prompts and music on hold), by name and language. */
export async function listTenantPrompts(ctx: Ctx): Promise<TenantPrompt[]> {
  const rows = await promptRows(ctx.deps.db, ctx.tenantId).orderBy("p.name").orderBy("p.language").execute();
  return rows.map(presentPrompt);
}

/** A recording's converted WAV, for the console's player. NOT_FOUND for another tenant's. */
export async function openTenantPrompt(ctx: Ctx, promptId: string): Promise<Downloadable> {
  const row = found(await promptRows(ctx.deps.db, ctx.tenantId).where("p.id", "=", promptId).executeTakeFirst(), "prompt");
  return {
    attachment: { filename: `${row.name}.${row.language}.wav`, content_type: "audio/wav", size_bytes: row.size_bytes, sha256: row.sha256 },
    read: async (range) => {
      try {
        return await ctx.deps.storage.get(row.storage_key, range);
      } catch (err) {
        if ((err as { code?: unknown }).code === "ENOENT") throw new DomainError("NOT_FOUND", "the recording's file is missing");
        throw err;
      }
    },
  };
}

/** Removes a recording: callers hear the built-in prompt (or music) again. */
export async function deleteTenantPrompt(ctx: Ctx, promptId: string): Promise<void> {
  const gone = await inTransaction(ctx, async (tx) => {
    const row = await tx.deleteFrom("tenant_prompts").where("tenant_id", "=", ctx.tenantId).where("id", "=", promptId).returningAll().executeTakeFirst();
    if (!row) throw new DomainError("NOT_FOUND", "prompt not found");
    await recordAudit(tx, ctx, { action: "prompt.deleted", entityType: "prompt", entityId: promptId, changes: { name: row.name, language: row.language } });
    return row;
  });
  await ctx.deps.storage.delete(gone.storage_key);
  await dropCachedCopies(ctx.deps.config, ctx.tenantId, gone.name, gone.language);
}
