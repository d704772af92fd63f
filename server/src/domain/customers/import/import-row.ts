import type { ErrorCode } from "@yixian/contracts";
import { sql } from "kysely";
import type { Tx } from "../../../db/database.ts";
import type { Ctx } from "../../context.ts";
import { DomainError } from "../../errors.ts";
import { insertCustomerGroup } from "../create-customer-group.ts";
import { insertCompany, lockCompany, updateCompanyRow } from "../company-store.ts";
import { giveIdentity, insertContact, lockLiveContact, updateContactRow } from "../contact-store.ts";
import { findIdentity } from "../identities.ts";
import type { ImportColumn } from "./columns.ts";
import type { CompanyCells, ContactCells, ParsedRow } from "./parse-row.ts";

/** A problem with one cell found while writing; the row is rolled back. */
export class RowError extends Error {
  constructor(
    readonly column: ImportColumn,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ImportTally {
  createdCompanies: Set<string>;
  updatedCompanies: Set<string>;
  createdContacts: Set<string>;
  updatedContacts: Set<string>;
}

async function atColumn<T>(column: ImportColumn, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof DomainError) throw new RowError(column, err.code, err.message);
    throw err;
  }
}

async function groupIdByName(tx: Tx, ctx: Ctx, name: string): Promise<string> {
  const existing = await tx.selectFrom("customer_groups").select("id").where("tenant_id", "=", ctx.tenantId).where("name", "=", name).executeTakeFirst();
  return existing?.id ?? (await insertCustomerGroup(tx, ctx, { name })).id;
}

function markUpdated(created: Set<string>, updated: Set<string>, id: string): void {
  if (!created.has(id)) updated.add(id);
}

/** The company the row names, matched by verification code, else by name; created when new. */
async function upsertCompany(tx: Tx, ctx: Ctx, cells: CompanyCells, tally: ImportTally): Promise<string> {
  const t = ctx.tenantId;
  const customerGroupId = cells.group ? await atColumn("group", groupIdByName(tx, ctx, cells.group)) : undefined;
  const byCode = cells.verificationCode
    ? await tx.selectFrom("companies").select("id").where("tenant_id", "=", t).where("verification_code", "=", cells.verificationCode).executeTakeFirst()
    : undefined;
  const byName =
    !byCode && cells.name
      ? await tx.selectFrom("companies").select("id").where("tenant_id", "=", t).where(sql<string>`lower(name)`, "=", cells.name.toLowerCase()).orderBy("created_at").limit(1).executeTakeFirst()
      : undefined;
  const match = byCode ?? byName;
  if (!match) {
    if (!cells.name) throw new RowError("company", "VALIDATION_FAILED", "no company has this verification code; give the company name to create it");
    const row = await atColumn("verification_code", insertCompany(tx, ctx, { ...cells, name: cells.name, customerGroupId }));
    tally.createdCompanies.add(row.id);
    return row.id;
  }
  const before = await lockCompany(tx, t, match.id);
  const after = await atColumn(
    "verification_code",
    updateCompanyRow(tx, ctx, before, {
      name: byCode ? cells.name : undefined,
      verificationCode: cells.verificationCode,
      servicePack: cells.servicePack,
      serviceExpiresOn: cells.serviceExpiresOn,
      customerGroupId,
    }),
  );
  if (after !== before) markUpdated(tally.createdCompanies, tally.updatedCompanies, after.id);
  return after.id;
}

/** Without phone or e-mail, a contact is known by name within the same company. */
async function contactByName(tx: Tx, ctx: Ctx, name: string, companyId: string | null): Promise<string | undefined> {
  let q = tx
    .selectFrom("contacts")
    .select("id")
    .where("tenant_id", "=", ctx.tenantId)
    .where("merged_into_id", "is", null)
    .where(sql<string>`lower(name)`, "=", name.toLowerCase());
  q = companyId ? q.where("company_id", "=", companyId) : q.where("company_id", "is", null);
  return (await q.orderBy("created_at").limit(1).executeTakeFirst())?.id;
}

/** The contact the row names, matched by phone, then e-mail (then name); created when new. */
async function upsertContact(tx: Tx, ctx: Ctx, cells: ContactCells, companyId: string | null, tally: ImportTally): Promise<void> {
  const t = ctx.tenantId;
  const byPhone = cells.phone ? await findIdentity(tx, t, "phone", cells.phone.value) : null;
  const byEmail = cells.email ? await findIdentity(tx, t, "email", cells.email.value) : null;
  if (byPhone && byEmail && byPhone.contact_id !== byEmail.contact_id) {
    throw new RowError("email", "IDENTITY_TAKEN", `${cells.email?.displayValue} belongs to another contact than the phone number`);
  }
  const identities = [cells.phone, cells.email].filter((i) => i !== undefined);
  const existingId =
    byPhone?.contact_id ?? byEmail?.contact_id ?? (identities.length === 0 && cells.name ? await contactByName(tx, ctx, cells.name, companyId) : undefined);
  if (!existingId) {
    if (!cells.name) throw new RowError("contact_name", "VALIDATION_FAILED", "a new contact needs a name");
    const row = await insertContact(tx, ctx, { name: cells.name, title: cells.title, companyId, identities });
    tally.createdContacts.add(row.id);
    return;
  }
  const before = await lockLiveContact(tx, t, existingId);
  const after = await updateContactRow(tx, ctx, before, { name: cells.name, title: cells.title, companyId: companyId ?? undefined });
  let changed = after !== before;
  for (const identity of identities) {
    const { created } = await atColumn(identity.kind === "phone" ? "phone" : "email", giveIdentity(tx, ctx, existingId, identity));
    changed ||= created;
  }
  if (changed) markUpdated(tally.createdContacts, tally.updatedContacts, existingId);
}

/** Writes one checked row: its company, then its contact. Throws RowError for a bad cell. */
export async function writeRow(tx: Tx, ctx: Ctx, parsed: ParsedRow, tally: ImportTally): Promise<void> {
  const companyId = parsed.company ? await upsertCompany(tx, ctx, parsed.company, tally) : null;
  if (parsed.contact) await upsertContact(tx, ctx, parsed.contact, companyId, tally);
}
