import { SERVICE_PACKS, type Channel, type RoutingFacts, type RoutingTest } from "@yixian/contracts";
import type { Executor } from "../../../db/database.ts";
import { isOpen } from "../../business-hours/index.ts";
import { knownValue } from "../../shared/known-value.ts";
import { found } from "../../errors.ts";
import { localDate, serviceStatus } from "../../customers/service-status.ts";
import type { CalendarOpen, RuleInput } from "./evaluate.ts";

export interface ContactFacts {
  channel: Channel;
  contactId: string | null;
  entryPoint?: string | null | undefined;
  menuChoice?: string | null | undefined;
  language?: string | null | undefined;
  at: Date;
  /** Described directly (the rules test): wins over the contact's record. */
  customer?: RoutingTest["customer"];
}

/**
 * What the navigation rules look at for one contact: their VIP flag, language and customer
 * group, and their company's service pack with its status on the tenant's calendar today
 * (active / expiring within 30 days / expired / none, as the customers area computes it).
 */
export async function loadFacts(db: Executor, tenantId: string, input: ContactFacts): Promise<RoutingFacts> {
  const contact = input.contactId
    ? found(
        await db
          .selectFrom("contacts")
          .leftJoin("companies", "companies.id", "contacts.company_id")
          .select(["contacts.is_vip", "contacts.language", "companies.service_pack", "companies.service_expires_on", "companies.customer_group_id"])
          .where("contacts.tenant_id", "=", tenantId)
          .where("contacts.id", "=", input.contactId)
          .executeTakeFirst(),
        "contact",
      )
    : null;
  const tenant = found(await db.selectFrom("tenants").select("time_zone").where("id", "=", tenantId).executeTakeFirst(), "tenant");
  const pack = contact?.service_pack ? knownValue(SERVICE_PACKS, contact.service_pack, "service pack") : null;
  const o = input.customer ?? {};
  const servicePack = o.servicePack !== undefined ? o.servicePack : pack;
  return {
    channel: input.channel,
    entryPoint: input.entryPoint ?? null,
    identified: o.identified ?? contact !== null,
    serviceStatus: o.serviceStatus ?? serviceStatus(servicePack, contact?.service_expires_on ?? null, localDate(input.at, tenant.time_zone)),
    servicePack,
    vip: o.vip ?? contact?.is_vip ?? false,
    customerGroupId: o.customerGroupId !== undefined ? o.customerGroupId : (contact?.customer_group_id ?? null),
    language: input.language ?? contact?.language ?? null,
    menuChoice: input.menuChoice ?? null,
    at: input.at.toISOString(),
  };
}

/** Open/closed for the calendars the rules name (one query); a calendar not found is unknown. */
export async function calendarsOf(db: Executor, tenantId: string, rules: readonly RuleInput[]): Promise<CalendarOpen> {
  const ids = [...new Set(rules.flatMap((r) => (r.conditions?.calendar ? [r.conditions.calendar.calendarId] : [])))];
  const rows = ids.length ? await db.selectFrom("calendars").selectAll().where("tenant_id", "=", tenantId).where("id", "in", ids).execute() : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return (calendarId, at) => {
    const row = byId.get(calendarId);
    return row ? isOpen(row, at) : null;
  };
}
