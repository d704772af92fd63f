import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import type { Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { diff, recordAudit } from "../shared/audit.ts";
import { changedFields, customerChanged } from "./customer-events.ts";
import { refreshContactSearch } from "./contact-search.ts";
import type { NormalisedIdentity } from "./identities.ts";

export interface ContactDraft {
  name: string;
  companyId?: string | null;
  title?: string;
  language?: string | null;
  isVip?: boolean;
  notes?: string;
  customFields?: Record<string, unknown>;
  identities?: (NormalisedIdentity & { verified?: boolean })[];
}

export async function requireCompany(tx: Executor, tenantId: string, companyId: string | null | undefined): Promise<void> {
  if (!companyId) return;
  found(await tx.selectFrom("companies").select("id").where("tenant_id", "=", tenantId).where("id", "=", companyId).executeTakeFirst(), "company");
}

/** Loads and locks a contact of ctx's tenant; a merged one is CONTACT_MERGED (changes go to the survivor). */
export async function lockLiveContact(tx: Executor, tenantId: string, contactId: string): Promise<Row<"contacts">> {
  const row = found(
    await tx.selectFrom("contacts").selectAll().where("tenant_id", "=", tenantId).where("id", "=", contactId).forUpdate().executeTakeFirst(),
    "contact",
  );
  if (row.merged_into_id) throw new DomainError("CONTACT_MERGED", `this contact was merged into ${row.merged_into_id}`, { mergedIntoId: row.merged_into_id });
  return row;
}

/**
 * Gives the contact an identity. Already theirs: the existing row, unchanged. Another
 * contact's: IDENTITY_TAKEN. Race-safe through the unique (tenant, kind, value) key.
 */
export async function attachIdentity(
  tx: Executor,
  ctx: Ctx,
  contactId: string,
  identity: NormalisedIdentity & { verified?: boolean },
): Promise<{ row: Row<"identities">; created: boolean }> {
  const now = ctx.deps.clock.now();
  const inserted = await tx
    .insertInto("identities")
    .values({
      id: newId(now.getTime()),
      tenant_id: ctx.tenantId,
      contact_id: contactId,
      kind: identity.kind,
      value: identity.value,
      display_value: identity.displayValue,
      verified: identity.verified ?? false,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(["tenant_id", "kind", "value"]).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, created: true };
  const existing = await tx
    .selectFrom("identities")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .where("kind", "=", identity.kind)
    .where("value", "=", identity.value)
    .executeTakeFirstOrThrow();
  if (existing.contact_id === contactId) return { row: existing, created: false };
  throw new DomainError("IDENTITY_TAKEN", `${identity.kind} ${identity.displayValue} belongs to another contact`, { contactId: existing.contact_id });
}

/** Inserts a contact with its identities; audited and announced. */
export async function insertContact(tx: Executor, ctx: Ctx, draft: ContactDraft): Promise<Row<"contacts">> {
  await requireCompany(tx, ctx.tenantId, draft.companyId);
  const now = ctx.deps.clock.now();
  const row = await tx
    .insertInto("contacts")
    .values({
      id: newId(now.getTime()),
      tenant_id: ctx.tenantId,
      company_id: draft.companyId ?? null,
      name: draft.name,
      title: draft.title ?? "",
      language: draft.language ?? null,
      is_vip: draft.isVip ?? false,
      notes: draft.notes ?? "",
      custom_fields: JSON.stringify(draft.customFields ?? {}),
      merged_into_id: null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const identity of draft.identities ?? []) await attachIdentity(tx, ctx, row.id, identity);
  await refreshContactSearch(tx, ctx.tenantId, [row.id]);
  await recordAudit(tx, ctx, {
    action: "contact.created",
    entityType: "contact",
    entityId: row.id,
    changes: { name: row.name, companyId: row.company_id, identities: (draft.identities ?? []).map((i) => `${i.kind}:${i.value}`) },
  });
  await customerChanged(tx, ctx.tenantId, "contact", row, ["created"]);
  return row;
}

export type ContactPatch = Omit<Partial<ContactDraft>, "identities">;

/** Applies a patch to a live contact row (already locked); audited and announced. */
export async function updateContactRow(tx: Executor, ctx: Ctx, before: Row<"contacts">, patch: ContactPatch): Promise<Row<"contacts">> {
  const set = {
    name: patch.name,
    company_id: patch.companyId,
    title: patch.title,
    language: patch.language,
    is_vip: patch.isVip,
    notes: patch.notes,
    custom_fields: patch.customFields,
  };
  const changes = diff(before, set);
  if (Object.keys(changes).length === 0) return before;
  if (changes.company_id) await requireCompany(tx, ctx.tenantId, patch.companyId);
  // naming a web-chat visitor says who they are
  const named = changes.name !== undefined && before.anonymous ? { anonymous: false } : {};
  const row = await tx
    .updateTable("contacts")
    .set({ ...set, ...named, custom_fields: set.custom_fields === undefined ? undefined : JSON.stringify(set.custom_fields), updated_at: ctx.deps.clock.now() })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", before.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (changes.name || changes.title || changes.company_id) await refreshContactSearch(tx, ctx.tenantId, [row.id]);
  await recordAudit(tx, ctx, { action: "contact.updated", entityType: "contact", entityId: row.id, changes });
  await customerChanged(tx, ctx.tenantId, "contact", row, changedFields(changes));
  return row;
}

/**
 * attachIdentity plus what a person's change needs: the contact's search words, its
 * updated_at, an audit row and a change event (only when the identity is new to them).
 */
export async function giveIdentity(
  tx: Executor,
  ctx: Ctx,
  contactId: string,
  identity: NormalisedIdentity & { verified?: boolean },
): Promise<{ row: Row<"identities">; created: boolean }> {
  const result = await attachIdentity(tx, ctx, contactId, identity);
  if (!result.created) return result;
  const contact = await touchContact(tx, ctx, contactId);
  await recordAudit(tx, ctx, {
    action: "contact.identity_added",
    entityType: "contact",
    entityId: contactId,
    changes: { identityId: result.row.id, kind: result.row.kind, value: result.row.value },
  });
  await customerChanged(tx, ctx.tenantId, "contact", contact, ["identities"]);
  return result;
}

/** After a contact's identities change: bump updated_at and refresh its search tokens. */
export async function touchContact(tx: Executor, ctx: Ctx, contactId: string): Promise<{ id: string; updated_at: Date }> {
  const contact = await tx
    .updateTable("contacts")
    .set({ updated_at: ctx.deps.clock.now() })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", contactId)
    .returning(["id", "updated_at"])
    .executeTakeFirstOrThrow();
  await refreshContactSearch(tx, ctx.tenantId, [contactId]);
  return contact;
}
