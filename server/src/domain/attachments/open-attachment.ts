import type { Readable } from "node:stream";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import type { ByteRange } from "./storage-port.ts";

/** An attachment the caller may read, and its bytes on demand (all, or a range once the size is known). */
export interface OpenedAttachment {
  attachment: Row<"attachments">;
  read(range?: ByteRange): Promise<Readable>;
}

/**
 * An attachment of ctx's tenant. NOT_FOUND for another tenant's id, for a customer asking for a
 * file outside their own conversations, or (when read) when the file is gone.
 */
export async function openAttachment(ctx: Ctx, attachmentId: string): Promise<OpenedAttachment> {
  const { db, storage } = ctx.deps;
  const attachment = found(
    await db.selectFrom("attachments").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", attachmentId).executeTakeFirst(),
    "attachment",
  );
  if (ctx.actor.type === "contact") {
    const own = attachment.message_id
      ? await db
          .selectFrom("messages as m")
          .innerJoin("conversations as c", "c.id", "m.conversation_id")
          .select("m.id")
          .where("m.tenant_id", "=", ctx.tenantId)
          .where("m.id", "=", attachment.message_id)
          .where("m.direction", "<>", "internal")
          .where("c.contact_id", "=", ctx.actor.id)
          .executeTakeFirst()
      : undefined;
    if (!own) throw new DomainError("NOT_FOUND", "attachment not found");
  }
  return {
    attachment,
    read: async (range) => {
      try {
        return await storage.get(attachment.storage_key, range);
      } catch (err) {
        if ((err as { code?: unknown }).code === "ENOENT") throw new DomainError("NOT_FOUND", "the attachment's file is missing");
        throw err;
      }
    },
  };
}
