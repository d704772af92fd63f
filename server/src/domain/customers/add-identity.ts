import type { Identity, IdentityInput } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { giveIdentity, lockLiveContact } from "./contact-store.ts";
import { normaliseIdentity } from "./identities.ts";
import { presentIdentity } from "./present.ts";
import { customerSettings } from "./tenant-settings.ts";

/** Adds a phone, e-mail, WeChat id … to a contact; adding one they already have changes nothing. */
export async function addIdentity(ctx: Ctx, contactId: string, input: IdentityInput): Promise<Identity> {
  return inTransaction(ctx, async (tx) => {
    const { defaultCountry } = await customerSettings(tx, ctx);
    await lockLiveContact(tx, ctx.tenantId, contactId);
    const identity = normaliseIdentity(input.kind, input.value, defaultCountry);
    const { row } = await giveIdentity(tx, ctx, contactId, { ...identity, verified: input.verified });
    return presentIdentity(row);
  });
}
