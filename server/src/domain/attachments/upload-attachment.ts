import { withoutBidiControls, type Attachment } from "@yixian/contracts";
import { Transform, type Readable, type TransformCallback } from "node:stream";
import { newId } from "../../platform/ids.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { presentAttachment } from "./present-attachment.ts";
import { contentMatches, declaredType, sniff, SNIFF_BYTES } from "./sniff.ts";

export interface UploadInput {
  filename: string;
  /** The Content-Type the sender gave the file part. */
  contentType: string | undefined;
  body: Readable;
}

/** Holds back the first bytes until they show the file is what it claims to be. */
class SniffGate extends Transform {
  private head: Buffer[] = [];
  private headBytes = 0;
  private decided = false;

  constructor(private readonly type: string) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.decided) return done(null, chunk);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < SNIFF_BYTES) return done();
    this.decide(done);
  }

  override _flush(done: TransformCallback): void {
    if (this.decided) return done();
    this.decide(done);
  }

  private decide(done: TransformCallback): void {
    this.decided = true;
    const head = Buffer.concat(this.head);
    this.head = [];
    if (!contentMatches(this.type, sniff(head.subarray(0, SNIFF_BYTES)))) {
      return done(new DomainError("UNSUPPORTED_MEDIA_TYPE", `the file's content is not ${this.type}`));
    }
    done(null, head);
  }
}

/**
 * A file name without folders, control characters or bidi controls (a right-to-left override
 * would show "invoice\u202Efdp.exe" as "invoiceexe.pdf"), at most 200 characters.
 */
export function cleanFilename(raw: string): string {
  const base = withoutBidiControls(raw.split(/[\\/]/).pop() ?? "");
  const printable = [...base]
    .filter((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      return code >= 0x20 && (code < 0x7f || code > 0x9f);
    })
    .join("")
    .trim();
  const chars = [...printable];
  return (chars.length > 200 ? chars.slice(chars.length - 200).join("") : printable) || "file";
}

/**
 * Stores an uploaded file: the declared type must be allowed and the first bytes must match it
 * (UNSUPPORTED_MEDIA_TYPE), the size must stay within the limit (PAYLOAD_TOO_LARGE). The row is
 * written only after the whole file is stored; if anything fails, nothing is left behind.
 * The attachment belongs to no message until a message claims it.
 */
export async function uploadAttachment(ctx: Ctx, input: UploadInput): Promise<Attachment> {
  const { config, storage } = ctx.deps;
  const filename = cleanFilename(input.filename);
  const type = declaredType(filename, input.contentType);
  if (!config.allowedUploadTypes.some((allowed) => allowed.toLowerCase() === type)) {
    input.body.resume();
    throw new DomainError("UNSUPPORTED_MEDIA_TYPE", `files of type ${type} are not accepted`);
  }
  const now = ctx.deps.clock.now();
  const id = newId(now.getTime());
  const key = `${ctx.tenantId}/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, "0")}/${id}`;

  const gate = new SniffGate(type);
  // Bytes flow into the gate before storage starts reading it; keep its own verdict.
  let refused: unknown = null;
  gate.on("error", (err) => (refused ??= err));
  input.body.once("error", (err) => gate.destroy(err));
  input.body.once("close", () => {
    if (!input.body.readableEnded) gate.destroy(new DomainError("VALIDATION_FAILED", "the upload was interrupted"));
  });
  let stored: { sizeBytes: number; sha256: string };
  try {
    stored = await storage.put(key, input.body.pipe(gate), config.maxUploadBytes);
  } catch (err) {
    // Let the rest of the upload drain so that the client hears our answer.
    input.body.unpipe(gate);
    input.body.resume();
    throw refused ?? err;
  }
  try {
    const row = await inTransaction(ctx, async (tx) => {
      const inserted = await tx
        .insertInto("attachments")
        .values({
          id,
          tenant_id: ctx.tenantId,
          filename,
          content_type: type,
          size_bytes: stored.sizeBytes,
          sha256: stored.sha256,
          storage_key: key,
          uploaded_by: ctx.actor.type === "user" ? ctx.actor.id : null,
          created_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, ctx, {
        action: "attachment.uploaded",
        entityType: "attachment",
        entityId: id,
        changes: { filename, contentType: type, sizeBytes: stored.sizeBytes },
      });
      return inserted;
    });
    return presentAttachment(row);
  } catch (err) {
    await storage.delete(key);
    throw err;
  }
}
