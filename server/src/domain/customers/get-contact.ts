import type { Contact } from "@yixian/contracts";
import type { Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { contactView } from "./contact-views.ts";
import { customerSettings } from "./tenant-settings.ts";

/** A contact with company and identities. A merged contact is still answered, with mergedIntoId set. */
export async function getContact(ctx: Ctx, contactId: string): Promise<Contact> {
  const row = found(
    await ctx.deps.db.selectFrom("contacts").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", contactId).executeTakeFirst(),
    "contact",
  );
  const { today } = await customerSettings(ctx.deps.db, ctx);
  return contactView(ctx.deps.db, ctx.tenantId, row, today);
}
