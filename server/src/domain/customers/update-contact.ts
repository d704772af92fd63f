import type { Contact, UpdateContact } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { lockLiveContact, updateContactRow } from "./contact-store.ts";
import { contactView } from "./contact-views.ts";
import { customerSettings } from "./tenant-settings.ts";

export async function updateContact(ctx: Ctx, contactId: string, input: UpdateContact): Promise<Contact> {
  return inTransaction(ctx, async (tx) => {
    const { today } = await customerSettings(tx, ctx);
    const before = await lockLiveContact(tx, ctx.tenantId, contactId);
    const row = await updateContactRow(tx, ctx, before, input);
    return contactView(tx, ctx.tenantId, row, today);
  });
}
