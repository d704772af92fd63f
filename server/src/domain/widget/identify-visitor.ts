import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { findIdentity, normaliseIdentity } from "../customers/identities.ts";
import { found } from "../errors.ts";
import type { VisitorSession } from "./visitor-context.ts";

/**
 * The contact the visitor turns out to be by a phone number or e-mail address: its owner (a
 * known customer), or the visitor's own contact, which then gets the identity. The value is
 * normalised first (138… and +86 138… are the same phone); INVALID_PHONE / VALIDATION_FAILED otherwise.
 */
export async function contactByIdentity(tx: Tx, session: VisitorSession, kind: "phone" | "email", raw: string): Promise<Row<"contacts">> {
  const tenantId = session.visitor.tenant_id;
  const tenant = found(await tx.selectFrom("tenants").select("default_country").where("id", "=", tenantId).executeTakeFirst(), "tenant");
  const normalised = normaliseIdentity(kind, raw, tenant.default_country);
  const owner = await findIdentity(tx, tenantId, kind, normalised.value);
  if (!owner) {
    await tx
      .insertInto("identities")
      .values({ tenant_id: tenantId, contact_id: session.contact.id, kind, value: normalised.value, display_value: normalised.displayValue })
      .execute();
    return session.contact;
  }
  let contact = found(await tx.selectFrom("contacts").selectAll().where("tenant_id", "=", tenantId).where("id", "=", owner.contact_id).executeTakeFirst(), "contact");
  for (let hops = 0; contact.merged_into_id && hops < 10; hops++) {
    contact = found(await tx.selectFrom("contacts").selectAll().where("tenant_id", "=", tenantId).where("id", "=", contact.merged_into_id).executeTakeFirst(), "contact");
  }
  return contact;
}

/** The visitor's visitor_id identity moves to a known customer: they are recognised from now on. */
export async function moveVisitorIdentity(tx: Tx, session: VisitorSession, contactId: string): Promise<void> {
  await tx
    .updateTable("identities")
    .set({ contact_id: contactId })
    .where("tenant_id", "=", session.visitor.tenant_id)
    .where("kind", "=", "visitor_id")
    .where("value", "=", session.visitor.visitor_key)
    .execute();
}
