import type { Contact, Page, ZContactListQuery } from "@yixian/contracts";
import { sql } from "kysely";
import type { z } from "zod";
import type { Ctx } from "../context.ts";
import { encodeCursor } from "../shared/pagination.ts";
import { searchQuery } from "../shared/search-tokens.ts";
import { contactViews } from "./contact-views.ts";
import { tryNormaliseIdentity } from "./identities.ts";
import { nameCursor, nameKey } from "./keyset.ts";
import { customerSettings } from "./tenant-settings.ts";

/**
 * Contacts by name, merged ones hidden. `q` matches words of the name, title, company and
 * identities, and also a phone number or e-mail in any written form (+86 138…, 0086…, 138-…).
 */
export async function listContacts(ctx: Ctx, query: z.infer<typeof ZContactListQuery>): Promise<Page<Contact>> {
  const { today, defaultCountry } = await customerSettings(ctx.deps.db, ctx);
  const after = nameCursor(query.cursor);
  let q = ctx.deps.db.selectFrom("contacts").selectAll().where("tenant_id", "=", ctx.tenantId).where("merged_into_id", "is", null);
  if (query.q) {
    const words = searchQuery(query.q);
    const exact = [tryNormaliseIdentity("phone", query.q, defaultCountry), tryNormaliseIdentity("email", query.q, defaultCountry)].filter((i) => i !== null);
    q = q.where((eb) =>
      eb.or([
        ...(words ? [eb(sql<boolean>`search_vector @@ to_tsquery('simple', ${words})`, "=", true)] : []),
        ...exact.map((i) =>
          eb(
            "id",
            "in",
            eb.selectFrom("identities").select("contact_id").where("tenant_id", "=", ctx.tenantId).where("kind", "=", i.kind).where("value", "=", i.value),
          ),
        ),
        // nothing searchable in q: match nothing rather than everything
        ...(words || exact.length > 0 ? [] : [eb.lit(false)]),
      ]),
    );
  }
  if (query.companyId) q = q.where("company_id", "=", query.companyId);
  if (after) q = q.where(sql<boolean>`(lower(name), id) > (${after.name}, ${after.id}::uuid)`);
  const rows = await q.orderBy(sql`lower(name)`).orderBy("id").limit(query.limit + 1).execute();
  const shown = rows.slice(0, query.limit);
  const last = shown.at(-1);
  return {
    items: await contactViews(ctx.deps.db, ctx.tenantId, shown, today),
    nextCursor: rows.length > query.limit && last ? encodeCursor(nameKey(last)) : null,
  };
}
