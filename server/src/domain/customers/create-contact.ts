import type { Contact, CreateContact } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { insertContact } from "./contact-store.ts";
import { contactView } from "./contact-views.ts";
import { normaliseIdentity } from "./identities.ts";
import { customerSettings } from "./tenant-settings.ts";

/** Creates a contact with its first identities; one already owned by another contact is IDENTITY_TAKEN. */
export async function createContact(ctx: Ctx, input: CreateContact): Promise<Contact> {
  return inTransaction(ctx, async (tx) => {
    const { today, defaultCountry } = await customerSettings(tx, ctx);
    const identities = input.identities.map((i) => ({ ...normaliseIdentity(i.kind, i.value, defaultCountry), verified: i.verified }));
    const row = await insertContact(tx, ctx, { ...input, identities });
    return contactView(tx, ctx.tenantId, row, today);
  });
}
