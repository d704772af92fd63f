import type { Tenant } from "@yixian/contracts";
import type { Row } from "../../db/schema.ts";
import { isoRequired } from "../shared/pagination.ts";

export function presentTenant(row: Row<"tenants">): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    defaultCountry: row.default_country,
    timeZone: row.time_zone,
    locale: row.locale === "en" ? "en" : "zh-CN",
    ticketPrefix: row.ticket_prefix,
    chatDuringVoice: row.settings.chatDuringVoice !== false,
    createdAt: isoRequired(row.created_at),
  };
}
