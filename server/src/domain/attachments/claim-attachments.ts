import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";

/**
 * Binds uploaded attachments to the message that sends them (and its ticket), inside the
 * caller's transaction. NOT_FOUND when an id is not an upload of this tenant, CONFLICT when it
 * already belongs to another message (an upload is sent once).
 */
export async function claimAttachments(
  tx: Executor,
  ctx: Ctx,
  attachmentIds: readonly string[],
  message: { id: string; ticket_id: string | null },
): Promise<Row<"attachments">[]> {
  const ids = [...new Set(attachmentIds)];
  if (ids.length === 0) return [];
  const claimed = await tx
    .updateTable("attachments")
    .set({ message_id: message.id, ticket_id: message.ticket_id })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "in", ids)
    .where("message_id", "is", null)
    .returningAll()
    .execute();
  if (claimed.length === ids.length) return sortAttachments(claimed);
  const existing = await tx.selectFrom("attachments").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "in", ids).execute();
  const missing = ids.find((id) => !existing.some((row) => row.id === id));
  if (missing) throw new DomainError("NOT_FOUND", `attachment ${missing} not found`);
  const used = ids.find((id) => !claimed.some((row) => row.id === id));
  throw new DomainError("CONFLICT", `attachment ${used ?? ""} already belongs to another message`);
}

/** Attachments of the given messages, in upload order, grouped by message id. */
export async function attachmentsOfMessages(db: Executor, ctx: Ctx, messageIds: readonly string[]): Promise<Map<string, Row<"attachments">[]>> {
  const byMessage = new Map<string, Row<"attachments">[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await db
    .selectFrom("attachments")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .where("message_id", "in", [...messageIds])
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  for (const row of rows) {
    if (!row.message_id) continue;
    const list = byMessage.get(row.message_id) ?? [];
    list.push(row);
    byMessage.set(row.message_id, list);
  }
  return byMessage;
}

function sortAttachments(rows: Row<"attachments">[]): Row<"attachments">[] {
  return [...rows].sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime() || a.id.localeCompare(b.id));
}
