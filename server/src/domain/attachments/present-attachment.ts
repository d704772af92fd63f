import type { Attachment } from "@yixian/contracts";
import type { Row } from "../../db/schema.ts";
import { isoRequired } from "../shared/pagination.ts";

export function attachmentUrl(id: string): string {
  return `/api/attachments/${id}`;
}

export function presentAttachment(row: Row<"attachments">): Attachment {
  return {
    id: row.id,
    filename: row.filename,
    contentType: row.content_type,
    size: row.size_bytes,
    sha256: row.sha256,
    url: attachmentUrl(row.id),
    messageId: row.message_id,
    ticketId: row.ticket_id,
    createdAt: isoRequired(row.created_at),
  };
}
