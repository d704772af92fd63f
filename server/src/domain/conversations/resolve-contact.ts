import type { IdentityKind } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import type { Ctx } from "../context.ts";
import { newContactSearchTokens } from "../customers/contact-search.ts";
import { customerChanged } from "../customers/customer-events.ts";
import { findIdentity, normaliseIdentity } from "../customers/identities.ts";
import { DomainError, found } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";

export interface ResolvedContact {
  contact: Row<"contacts"> | null;
  identityId: string | null;
}

/** Follows merges to the contact that lives on (a merged contact's work continues on the target). */
async function surviving(tx: Tx, ctx: Ctx, contact: Row<"contacts">): Promise<Row<"contacts">> {
  let current = contact;
  for (let hops = 0; current.merged_into_id && hops < 10; hops++) {
    current = found(
      await tx.selectFrom("contacts").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", current.merged_into_id).executeTakeFirst(),
      "contact",
    );
  }
  if (current.merged_into_id) throw new DomainError("CONTACT_MERGED", "this contact was merged away");
  return current;
}

async function contactById(tx: Tx, ctx: Ctx, contactId: string): Promise<Row<"contacts">> {
  const row = await tx.selectFrom("contacts").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", contactId).executeTakeFirst();
  return surviving(tx, ctx, found(row, "contact"));
}

/** A new contact named after the identity it reached us by (the agent renames them later). */
async function createContactFor(tx: Tx, ctx: Ctx, kind: IdentityKind, value: string, displayValue: string): Promise<ResolvedContact> {
  const now = ctx.deps.clock.now();
  const contact = await tx
    .insertInto("contacts")
    .values({
      id: newId(now.getTime()),
      tenant_id: ctx.tenantId,
      name: displayValue,
      custom_fields: JSON.stringify({}),
      // what refreshContactSearch would write, known without reading it back
      search_tokens: newContactSearchTokens(displayValue, { kind, value, display: displayValue }),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const identity = await tx
    .insertInto("identities")
    .values({ tenant_id: ctx.tenantId, contact_id: contact.id, kind, value, display_value: displayValue })
    .onConflict((oc) => oc.columns(["tenant_id", "kind", "value"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!identity) {
    // Someone registered this identity a moment ago (their commit is visible to the next statement): use theirs.
    await tx.deleteFrom("contacts").where("tenant_id", "=", ctx.tenantId).where("id", "=", contact.id).execute();
    const theirs = found(await findIdentity(tx, ctx.tenantId, kind, value), "identity");
    return { contact: await contactById(tx, ctx, theirs.contact_id), identityId: theirs.id };
  }
  await recordAudit(tx, ctx, {
    action: "contact.created",
    entityType: "contact",
    entityId: contact.id,
    changes: { name: displayValue, identity: { kind, value }, via: "conversation" },
  });
  await customerChanged(tx, ctx.tenantId, "contact", contact, ["created"]);
  return { contact, identityId: identity.id };
}

/**
 * The customer of a new conversation: the given contact, or the owner of the identity they
 * reached us by (a new contact when nobody owns it yet), or nobody. NOT_FOUND for a contact of
 * another tenant; INVALID_PHONE / VALIDATION_FAILED for an identity value that cannot be one.
 */
export async function resolveContact(
  tx: Tx,
  ctx: Ctx,
  input: { contactId?: string | undefined; identity?: { kind: IdentityKind; value: string } | undefined },
): Promise<ResolvedContact> {
  if (input.contactId) return { contact: await contactById(tx, ctx, input.contactId), identityId: null };
  if (!input.identity) return { contact: null, identityId: null };
  const tenant = found(await tx.selectFrom("tenants").select("default_country").where("id", "=", ctx.tenantId).executeTakeFirst(), "tenant");
  const normalised = normaliseIdentity(input.identity.kind, input.identity.value, tenant.default_country);
  const identity = await findIdentity(tx, ctx.tenantId, normalised.kind, normalised.value);
  if (identity) return { contact: await contactById(tx, ctx, identity.contact_id), identityId: identity.id };
  return createContactFor(tx, ctx, normalised.kind, normalised.value, normalised.displayValue);
}
