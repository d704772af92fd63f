import type { Attachment, VisitorAttachment } from "@yixian/contracts";
import { signedAttachmentUrl } from "../attachments/signed-links.ts";
import type { VisitorSession } from "./visitor-context.ts";
import { messageLimiter } from "./rate-limit.ts";

/** Before an upload: uploads count against the visitor's message rate. */
export function takeUploadToken(session: VisitorSession): void {
  messageLimiter.take(`visitor:${session.visitor.id}`, session.ctx.deps.clock.now().getTime());
}

/** After an upload: remembers it is this visitor's, so only they can send it. */
export async function recordVisitorUpload(session: VisitorSession, attachment: Attachment): Promise<VisitorAttachment> {
  await session.ctx.deps.db
    .insertInto("widget_uploads")
    .values({ attachment_id: attachment.id, tenant_id: session.visitor.tenant_id, visitor_id: session.visitor.id, created_at: session.ctx.deps.clock.now() })
    .execute();
  return {
    id: attachment.id,
    filename: attachment.filename,
    contentType: attachment.contentType,
    size: attachment.size,
    url: signedAttachmentUrl(session.ctx.deps, session.visitor.tenant_id, attachment.id),
  };
}
