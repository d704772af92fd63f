import { inTransaction, type Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { lockLiveContact, touchContact } from "./contact-store.ts";
import { customerChanged } from "./customer-events.ts";

/**
 * Removes one of a contact's identities. Past conversations that arrived through it keep
 * their contact; they only stop pointing at the identity row.
 */
export async function removeIdentity(ctx: Ctx, contactId: string, identityId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await lockLiveContact(tx, ctx.tenantId, contactId);
    const identity = found(
      await tx
        .selectFrom("identities")
        .selectAll()
        .where("tenant_id", "=", ctx.tenantId)
        .where("contact_id", "=", contactId)
        .where("id", "=", identityId)
        .executeTakeFirst(),
      "identity",
    );
    await tx.updateTable("conversations").set({ identity_id: null }).where("tenant_id", "=", ctx.tenantId).where("identity_id", "=", identityId).execute();
    await tx.deleteFrom("identities").where("tenant_id", "=", ctx.tenantId).where("id", "=", identityId).execute();
    const contact = await touchContact(tx, ctx, contactId);
    await recordAudit(tx, ctx, {
      action: "contact.identity_removed",
      entityType: "contact",
      entityId: contactId,
      changes: { identityId, kind: identity.kind, value: identity.value },
    });
    await customerChanged(tx, ctx.tenantId, "contact", contact, ["identities"]);
  });
}
