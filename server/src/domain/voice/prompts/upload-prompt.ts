import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { TENANT_PROMPT_LIMITS, type IvrLanguage, type TenantPrompt, type TenantPromptName } from "@yixian/contracts";
import { newId } from "../../../platform/ids.ts";
import { cleanFilename } from "../../attachments/upload-attachment.ts";
import { inTransaction, type Ctx } from "../../context.ts";
import { DomainError } from "../../errors.ts";
import { recordAudit } from "../../shared/audit.ts";
import { dropCachedCopies } from "./prompt-cache.ts";
import { presentPrompt, promptRows } from "./present-prompt.ts";

export interface PromptUpload {
  name: TenantPromptName;
  language: IvrLanguage;
  filename: string;
  body: Readable;
}

/** Passes at most `maxBytes` through, then fails with PAYLOAD_TOO_LARGE. */
function limit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(new DomainError("PAYLOAD_TOO_LARGE", `the file is larger than ${maxBytes} bytes`));
      else done(null, chunk);
    },
  });
}

/**
 * Stores a tenant's own recording of a prompt (or its music on hold) in one language, replacing
 * the one before: the upload (WAV or MP3, at most TENANT_PROMPT_LIMITS.maxBytes) is converted to
 * 8 kHz mono 16-bit WAV and must play at most maxSeconds (AUDIO_TOO_LONG). A file that cannot be
 * read, is cut off or too large stores nothing and leaves the previous recording in place.
 */
export async function uploadTenantPrompt(ctx: Ctx, upload: PromptUpload): Promise<TenantPrompt> {
  const { storage, audio, clock } = ctx.deps;
  const work = await mkdtemp(join(tmpdir(), "yx-prompt-"));
  const now = clock.now();
  const id = newId(now.getTime());
  const key = `${ctx.tenantId}/prompts/${id}.wav`;
  let stored: { sizeBytes: number; sha256: string } | null = null;
  let committed = false;
  try {
    const original = join(work, "upload");
    const converted = join(work, "phone.wav");
    try {
      await pipeline(upload.body, limit(TENANT_PROMPT_LIMITS.maxBytes), createWriteStream(original));
    } catch (err) {
      // let the rest of the request drain so that the client hears the answer
      upload.body.resume();
      throw err;
    }
    const { format, durationMs } = await audio.toPhoneWav(original, converted);
    if (durationMs > TENANT_PROMPT_LIMITS.maxSeconds * 1000) {
      throw new DomainError("AUDIO_TOO_LONG", `the recording lasts ${Math.round(durationMs / 1000)} s; at most ${TENANT_PROMPT_LIMITS.maxSeconds} s`);
    }
    stored = await storage.put(key, createReadStream(converted), Number.MAX_SAFE_INTEGER);
    const filename = cleanFilename(upload.filename || `${upload.name}.${format}`);
    const replaced = await inTransaction(ctx, async (tx) => {
      const previous = await tx
        .deleteFrom("tenant_prompts")
        .where("tenant_id", "=", ctx.tenantId)
        .where("name", "=", upload.name)
        .where("language", "=", upload.language)
        .returning("storage_key")
        .executeTakeFirst();
      await tx
        .insertInto("tenant_prompts")
        .values({
          id,
          tenant_id: ctx.tenantId,
          name: upload.name,
          language: upload.language,
          storage_key: key,
          sha256: stored!.sha256,
          size_bytes: stored!.sizeBytes,
          duration_ms: durationMs,
          original_filename: filename,
          original_format: format,
          uploaded_by: ctx.actor.type === "user" ? ctx.actor.id : null,
          created_at: now,
        })
        .execute();
      await recordAudit(tx, ctx, {
        action: previous ? "prompt.replaced" : "prompt.uploaded",
        entityType: "prompt",
        entityId: id,
        changes: { name: upload.name, language: upload.language, filename, format, durationMs },
      });
      return previous?.storage_key ?? null;
    });
    committed = true;
    if (replaced) await storage.delete(replaced);
    await dropCachedCopies(ctx.deps.config, ctx.tenantId, upload.name, upload.language);
  } catch (err) {
    if (stored && !committed) await storage.delete(key);
    throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const row = await promptRows(ctx.deps.db, ctx.tenantId).where("p.id", "=", id).executeTakeFirstOrThrow();
  return presentPrompt(row);
}
