import { Readable } from "node:stream";
import type { Deps } from "../context.ts";
import { inTransaction, systemCtx } from "../context.ts";
import { newId } from "../../platform/ids.ts";
import { recordAudit } from "../shared/audit.ts";
import { assertCallExists, recordCallEventTx } from "../voice/call-records.ts";

export interface CallRecording {
  tenantId: string;
  conversationId: string;
  callRecordId: string;
  /** The mixed recording, 8 kHz 16-bit mono WAV. */
  wav: Buffer;
  durationMs: number;
  filename: string;
}

/**
 * Keeps a call's recording: the WAV goes to attachment storage as a file of the call's ticket
 * (so it is served, with Range, under the ticket's authorisation) and the call record points at
 * it, which the call's entry on the ticket's timeline shows. Returns the attachment id. A call without a ticket (nobody
 * answered) keeps its recording on the call record only.
 */
export async function storeCallRecording(deps: Deps, recording: CallRecording): Promise<string> {
  const ctx = systemCtx(deps, recording.tenantId);
  const now = deps.clock.now();
  const id = newId(now.getTime());
  const key = `${ctx.tenantId}/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, "0")}/${id}`;
  const stored = await deps.storage.put(key, Readable.from([recording.wav]), recording.wav.length);
  try {
    await inTransaction(ctx, async (tx) => {
      const conversation = await tx.selectFrom("conversations").select("ticket_id").where("tenant_id", "=", ctx.tenantId).where("id", "=", recording.conversationId).executeTakeFirstOrThrow();
      await tx
        .insertInto("attachments")
        .values({
          id,
          tenant_id: ctx.tenantId,
          ticket_id: conversation.ticket_id,
          filename: recording.filename,
          content_type: "audio/wav",
          size_bytes: stored.sizeBytes,
          sha256: stored.sha256,
          storage_key: key,
          created_at: now,
        })
        .execute();
      await recordAudit(tx, ctx, { action: "call.recorded", entityType: "attachment", entityId: id, changes: { callId: recording.callRecordId, durationMs: recording.durationMs } });
      // the call record points at it in the same commit
      if (!(await recordCallEventTx(tx, ctx, recording.callRecordId, { type: "recorded", attachmentId: id }))) await assertCallExists(ctx, recording.callRecordId);
    });
  } catch (err) {
    await deps.storage.delete(key);
    throw err;
  }
  return id;
}
