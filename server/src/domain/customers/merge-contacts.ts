import type { Contact } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { ticketChanged } from "../tickets/ticket-events.ts";
import { refreshContactSearch } from "./contact-search.ts";
import { contactView } from "./contact-views.ts";
import { customerChanged } from "./customer-events.ts";
import { customerSettings } from "./tenant-settings.ts";

async function lockBoth(tx: Tx, tenantId: string, targetId: string, sourceId: string): Promise<[Row<"contacts">, Row<"contacts">]> {
  // one statement locks both rows in id order, so two opposite merges cannot deadlock
  const rows = await tx
    .selectFrom("contacts")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "in", [targetId, sourceId])
    .orderBy("id")
    .forUpdate()
    .execute();
  const target = found(rows.find((r) => r.id === targetId), "contact");
  const source = found(rows.find((r) => r.id === sourceId), "contact");
  return [target, source];
}

/** Rows of a table that name the contact `from` name `to` instead; how many moved. */
async function repoint(
  tx: Tx,
  table: "identities" | "conversations" | "ratings" | "conversation_participants",
  tenantId: string,
  from: string,
  to: string,
): Promise<number> {
  const result = await tx.updateTable(table).set({ contact_id: to }).where("tenant_id", "=", tenantId).where("contact_id", "=", from).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** What the survivor keeps: its own values, blanks filled from the source. */
function combined(target: Row<"contacts">, source: Row<"contacts">) {
  return {
    company_id: target.company_id ?? source.company_id,
    title: target.title || source.title,
    language: target.language ?? source.language,
    is_vip: target.is_vip || source.is_vip,
    notes: [target.notes, source.notes].filter(Boolean).join("\n\n"),
    custom_fields: JSON.stringify({ ...source.custom_fields, ...target.custom_fields }),
    // a named contact merged into a visitor's makes the survivor someone we know
    anonymous: target.anonymous && source.anonymous,
  };
}

/**
 * Merges the source contact into the target (the same person recorded twice): the source's
 * identities, conversations, tickets and ratings move to the target, blanks on the target are
 * filled from the source, and the source is kept, hidden, pointing at the target.
 */
export async function mergeContacts(ctx: Ctx, targetId: string, sourceId: string): Promise<Contact> {
  return inTransaction(ctx, async (tx) => {
    const { today } = await customerSettings(tx, ctx);
    const { target } = await mergeContactRows(tx, ctx, targetId, sourceId);
    return contactView(tx, ctx.tenantId, target, today);
  });
}

/** mergeContacts inside the caller's transaction: the survivor and the hidden source, as stored now. */
export async function mergeContactRows(tx: Tx, ctx: Ctx, targetId: string, sourceId: string): Promise<{ target: Row<"contacts">; source: Row<"contacts"> }> {
  const [target, source] = await lockBoth(tx, ctx.tenantId, targetId, sourceId);
  if (target.id === source.id) throw new DomainError("MERGE_SAME_CONTACT", "a contact cannot be merged into itself");
  for (const c of [target, source]) {
    if (c.merged_into_id) throw new DomainError("CONTACT_MERGED", `contact ${c.id} was already merged into ${c.merged_into_id}`, { mergedIntoId: c.merged_into_id });
  }
  const now = ctx.deps.clock.now();
  const t = ctx.tenantId;
  const movedTickets = await tx
    .updateTable("tickets")
    .set({ contact_id: target.id, updated_at: now })
    .where("tenant_id", "=", t)
    .where("contact_id", "=", source.id)
    .returning(["id", "tenant_id", "number", "updated_at"])
    .execute();
  for (const ticket of movedTickets) await ticketChanged(tx, ticket, ["contact"]);
  const moved = {
    identities: await repoint(tx, "identities", t, source.id, target.id),
    conversations: await repoint(tx, "conversations", t, source.id, target.id),
    tickets: movedTickets.length,
    ratings: await repoint(tx, "ratings", t, source.id, target.id),
  };
  await repoint(tx, "conversation_participants", t, source.id, target.id);
  // contacts merged into the source earlier now point straight at the survivor
  await tx.updateTable("contacts").set({ merged_into_id: target.id }).where("tenant_id", "=", t).where("merged_into_id", "=", source.id).execute();
  const sourceAfter = await tx
    .updateTable("contacts")
    .set({ merged_into_id: target.id, search_tokens: "", updated_at: now })
    .where("tenant_id", "=", t)
    .where("id", "=", source.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const targetAfter = await tx
    .updateTable("contacts")
    .set({ ...combined(target, source), updated_at: now })
    .where("tenant_id", "=", t)
    .where("id", "=", target.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await refreshContactSearch(tx, t, [target.id]);
  await recordAudit(tx, ctx, { action: "contact.merged", entityType: "contact", entityId: target.id, changes: { sourceContactId: source.id, moved } });
  await recordAudit(tx, ctx, { action: "contact.merged_into", entityType: "contact", entityId: source.id, changes: { mergedIntoId: target.id } });
  await customerChanged(tx, t, "contact", targetAfter, ["merged", "identities"]);
  await customerChanged(tx, t, "contact", sourceAfter, ["mergedInto"]);
  return { target: targetAfter, source: sourceAfter };
}
