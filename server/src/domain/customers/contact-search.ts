import type { Executor } from "../../db/database.ts";
import { DomainError } from "../errors.ts";
import { searchTokens } from "../shared/search-tokens.ts";
import { normalisePhone } from "./phone.ts";

/** Search words for one identity: the stored value, what was typed, and a phone's national digits. */
function identityWords(kind: string, value: string, display: string): string[] {
  if (kind !== "phone") return [value, display];
  try {
    return [value, display, normalisePhone(value, "").nationalDigits];
  } catch (err) {
    if (err instanceof DomainError) return [value, display];
    throw err;
  }
}

/** The search words of a new contact named `name` with one identity and no title or company yet. */
export function newContactSearchTokens(name: string, identity: { kind: string; value: string; display: string }): string {
  return searchTokens(name, null, null, ...identityWords(identity.kind, identity.value, identity.display));
}

/**
 * Recomputes contacts.search_tokens (name, title, every identity incl. a phone's national
 * digits, the company's name) for the given contacts, inside the caller's transaction.
 */
export async function refreshContactSearch(tx: Executor, tenantId: string, contactIds: string[]): Promise<void> {
  if (contactIds.length === 0) return;
  const contacts = await tx
    .selectFrom("contacts")
    .leftJoin("companies", (j) => j.onRef("companies.id", "=", "contacts.company_id").on("companies.tenant_id", "=", tenantId))
    .select(["contacts.id", "contacts.name", "contacts.title", "companies.name as company_name"])
    .where("contacts.tenant_id", "=", tenantId)
    .where("contacts.id", "in", contactIds)
    .execute();
  const identities = await tx
    .selectFrom("identities")
    .select(["contact_id", "kind", "value", "display_value"])
    .where("tenant_id", "=", tenantId)
    .where("contact_id", "in", contactIds)
    .execute();
  for (const c of contacts) {
    const words = identities.filter((i) => i.contact_id === c.id).flatMap((i) => identityWords(i.kind, i.value, i.display_value));
    await tx
      .updateTable("contacts")
      .set({ search_tokens: searchTokens(c.name, c.title, c.company_name, ...words) })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", c.id)
      .execute();
  }
}

/** Contacts of a company (for refreshing their search words when the company is renamed). */
export async function companyContactIds(tx: Executor, tenantId: string, companyId: string): Promise<string[]> {
  const rows = await tx.selectFrom("contacts").select("id").where("tenant_id", "=", tenantId).where("company_id", "=", companyId).execute();
  return rows.map((r) => r.id);
}
