import type { NewConversationContact } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { giveIdentity, insertContact, lockLiveContact, requireCompany, updateContactRow, type ContactPatch } from "../customers/contact-store.ts";
import { customerChanged } from "../customers/customer-events.ts";
import { normaliseIdentity, type NormalisedIdentity } from "../customers/identities.ts";
import { mergeContactRows } from "../customers/merge-contacts.ts";
import { customerSettings } from "../customers/tenant-settings.ts";
import { DomainError, found } from "../errors.ts";

/** Steps of setConversationContact that change contacts, inside its transaction. */

function alreadyIdentified(contact: Row<"contacts">): DomainError {
  return new DomainError("CONTACT_ALREADY_IDENTIFIED", `this conversation's customer is ${contact.name} already`, { contactId: contact.id });
}

/** The visitors whose visitor_id identity the contact owns (their browsers). */
async function visitorKeys(tx: Tx, ctx: Ctx, contactId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom("identities")
    .select("value")
    .where("tenant_id", "=", ctx.tenantId)
    .where("contact_id", "=", contactId)
    .where("kind", "=", "visitor_id")
    .execute();
  return rows.map((r) => r.value);
}

/** Those browsers are identified now: the widget greets the customer and skips its pre-chat form. */
async function markVisitorsIdentified(tx: Tx, ctx: Ctx, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await tx
    .updateTable("widget_visitors")
    .set({ identified: true, updated_at: ctx.deps.clock.now() })
    .where("tenant_id", "=", ctx.tenantId)
    .where("visitor_key", "in", keys)
    .execute();
}

/**
 * Identify: the customer is this known contact. An anonymous visitor contact is merged into it
 * (its visitor identity, conversations, tickets and ratings move there, so the browser is
 * recognised next time). NOT_FOUND for another tenant's contact, CONTACT_MERGED for a merged one,
 * VALIDATION_FAILED for an anonymous one, CONTACT_ALREADY_IDENTIFIED over another known customer.
 */
export async function identifyAs(tx: Tx, ctx: Ctx, current: Row<"contacts"> | null, contactId: string): Promise<Row<"contacts">> {
  const target = found(await tx.selectFrom("contacts").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", contactId).executeTakeFirst(), "contact");
  if (target.merged_into_id) throw new DomainError("CONTACT_MERGED", `this contact was merged into ${target.merged_into_id}`, { mergedIntoId: target.merged_into_id });
  if (current?.id === target.id && !target.anonymous) return target;
  if (target.anonymous) throw new DomainError("VALIDATION_FAILED", "an unidentified visitor is nobody to identify as; pick a known customer or create one", { field: "contactId" });
  if (!current) return target;
  if (!current.anonymous) throw alreadyIdentified(current);
  const keys = await visitorKeys(tx, ctx, current.id);
  const { target: merged } = await mergeContactRows(tx, ctx, target.id, current.id);
  await markVisitorsIdentified(tx, ctx, keys);
  return merged;
}

/**
 * Create: the anonymous visitor contact becomes this named contact (a new contact when the
 * conversation has none). IDENTITY_TAKEN when the phone or e-mail is another contact's (identify
 * them instead), CONTACT_ALREADY_IDENTIFIED over a known customer, NOT_FOUND for a foreign company.
 */
export async function createFor(tx: Tx, ctx: Ctx, current: Row<"contacts"> | null, input: NewConversationContact): Promise<Row<"contacts">> {
  if (current && !current.anonymous) throw alreadyIdentified(current);
  const { defaultCountry } = await customerSettings(tx, ctx);
  const identities: NormalisedIdentity[] = [];
  if (input.phone) identities.push(normaliseIdentity("phone", input.phone, defaultCountry));
  if (input.email) identities.push(normaliseIdentity("email", input.email, defaultCountry));
  await requireCompany(tx, ctx.tenantId, input.companyId);
  const patch: ContactPatch = { name: input.name };
  if (input.companyId !== undefined) patch.companyId = input.companyId;
  if (input.title !== undefined) patch.title = input.title;
  if (input.notes !== undefined) patch.notes = input.notes;
  if (!current) return insertContact(tx, ctx, { ...patch, name: input.name, identities });

  const before = await lockLiveContact(tx, ctx.tenantId, current.id);
  let row = await updateContactRow(tx, ctx, before, patch);
  if (row.anonymous) {
    // named exactly as the visitor was called: still someone now
    row = await tx
      .updateTable("contacts")
      .set({ anonymous: false, updated_at: ctx.deps.clock.now() })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await customerChanged(tx, ctx.tenantId, "contact", row, ["anonymous"]);
  }
  for (const identity of identities) await giveIdentity(tx, ctx, row.id, identity);
  await markVisitorsIdentified(tx, ctx, await visitorKeys(tx, ctx, row.id));
  return found(await tx.selectFrom("contacts").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", row.id).executeTakeFirst(), "contact");
}
