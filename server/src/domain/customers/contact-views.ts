import type { Contact } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { presentCompany, presentContact } from "./present.ts";

/** Presents contacts with their identities and companies: two queries for any number of them. */
export async function contactViews(executor: Executor, tenantId: string, rows: Row<"contacts">[], today: string): Promise<Contact[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const companyIds = [...new Set(rows.map((r) => r.company_id).filter((id): id is string => id !== null))];
  // one after the other: inside a transaction both would wait for the same connection anyway
  const identities = await executor
    .selectFrom("identities")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("contact_id", "in", ids)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const companies =
    companyIds.length > 0 ? await executor.selectFrom("companies").selectAll().where("tenant_id", "=", tenantId).where("id", "in", companyIds).execute() : [];
  const companyById = new Map(companies.map((c) => [c.id, presentCompany(c, today)]));
  return rows.map((row) =>
    presentContact(
      row,
      identities.filter((i) => i.contact_id === row.id),
      row.company_id ? (companyById.get(row.company_id) ?? null) : null,
    ),
  );
}

export async function contactView(executor: Executor, tenantId: string, row: Row<"contacts">, today: string): Promise<Contact> {
  const [view] = await contactViews(executor, tenantId, [row], today);
  if (!view) throw new Error("contactViews returned nothing for one contact");
  return view;
}
