import { roleCan, type Permission, type SearchHit, type SearchQuery, type SearchType } from "@yixian/contracts";
import { sql, type RawBuilder } from "kysely";
import type { Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { isoRequired } from "../shared/pagination.ts";
import { searchQuery } from "../shared/search-tokens.ts";
import { snippetAround } from "./snippet.ts";

const NEEDS: Record<SearchType, Permission> = {
  tickets: "ticket:read",
  contacts: "customer:read",
  companies: "customer:read",
  messages: "conversation:read",
};

type Searcher = (ctx: Ctx, tsquery: string, q: string, limit: number) => Promise<SearchHit[]>;

const rank = (column: string, tsquery: string): RawBuilder<number> => sql<number>`ts_rank(${sql.ref(column)}, to_tsquery('simple', ${tsquery}))`;
const matches = (column: string, tsquery: string): RawBuilder<boolean> => sql<boolean>`${sql.ref(column)} @@ to_tsquery('simple', ${tsquery})`;

const searchTickets: Searcher = async (ctx, tsquery, _q, limit) => {
  const rows = await ctx.deps.db
    .selectFrom("tickets as t")
    .select(["t.id", "t.number", "t.subject", "t.status", "t.contact_id", "t.company_id", "t.updated_at", rank("t.search_vector", tsquery).as("rank")])
    .where("t.tenant_id", "=", ctx.tenantId)
    .where(matches("t.search_vector", tsquery))
    .orderBy("rank", "desc")
    .orderBy("t.updated_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    type: "ticket",
    id: r.id,
    title: r.subject,
    snippet: `${r.number} · ${r.status}`,
    rank: Number(r.rank),
    ticketId: r.id,
    conversationId: null,
    contactId: r.contact_id,
    companyId: r.company_id,
    at: isoRequired(r.updated_at),
  }));
};

const searchContacts: Searcher = async (ctx, tsquery, _q, limit) => {
  const rows = await ctx.deps.db
    .selectFrom("contacts as c")
    .leftJoin("companies as co", (j) => j.onRef("co.id", "=", "c.company_id").on("co.tenant_id", "=", ctx.tenantId))
    .select(["c.id", "c.name", "c.title", "c.company_id", "c.updated_at", "co.name as company_name", rank("c.search_vector", tsquery).as("rank")])
    .where("c.tenant_id", "=", ctx.tenantId)
    .where("c.merged_into_id", "is", null)
    .where(matches("c.search_vector", tsquery))
    .orderBy("rank", "desc")
    .orderBy("c.updated_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    type: "contact",
    id: r.id,
    title: r.name,
    snippet: [r.title, r.company_name].filter(Boolean).join(" · "),
    rank: Number(r.rank),
    ticketId: null,
    conversationId: null,
    contactId: r.id,
    companyId: r.company_id,
    at: isoRequired(r.updated_at),
  }));
};

const searchCompanies: Searcher = async (ctx, tsquery, _q, limit) => {
  const rows = await ctx.deps.db
    .selectFrom("companies as co")
    .select(["co.id", "co.name", "co.address", "co.updated_at", rank("co.search_vector", tsquery).as("rank")])
    .where("co.tenant_id", "=", ctx.tenantId)
    .where(matches("co.search_vector", tsquery))
    .orderBy("rank", "desc")
    .orderBy("co.updated_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    type: "company",
    id: r.id,
    title: r.name,
    snippet: r.address,
    rank: Number(r.rank),
    ticketId: null,
    conversationId: null,
    contactId: null,
    companyId: r.id,
    at: isoRequired(r.updated_at),
  }));
};

const searchMessages: Searcher = async (ctx, tsquery, q, limit) => {
  const rows = await ctx.deps.db
    .selectFrom("messages as m")
    .innerJoin("conversations as c", (j) => j.onRef("c.id", "=", "m.conversation_id").on("c.tenant_id", "=", ctx.tenantId))
    .leftJoin("tickets as t", (j) => j.onRef("t.id", "=", "m.ticket_id").on("t.tenant_id", "=", ctx.tenantId))
    .select([
      "m.id",
      "m.body_text",
      "m.ticket_id",
      "m.conversation_id",
      "m.channel",
      "m.created_at",
      "c.subject as conversation_subject",
      "c.contact_id",
      "t.number as ticket_number",
      "t.subject as ticket_subject",
      "t.company_id",
      rank("m.search_vector", tsquery).as("rank"),
    ])
    .where("m.tenant_id", "=", ctx.tenantId)
    .where(matches("m.search_vector", tsquery))
    .orderBy("rank", "desc")
    .orderBy("m.created_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    type: "message",
    id: r.id,
    title: r.ticket_number ? `${r.ticket_number} ${r.ticket_subject ?? ""}`.trim() : r.conversation_subject || r.channel,
    snippet: snippetAround(r.body_text, q),
    rank: Number(r.rank),
    ticketId: r.ticket_id,
    conversationId: r.conversation_id,
    contactId: r.contact_id,
    companyId: r.company_id ?? null,
    at: isoRequired(r.created_at),
  }));
};

const SEARCHERS: Record<SearchType, Searcher> = {
  tickets: searchTickets,
  contacts: searchContacts,
  companies: searchCompanies,
  messages: searchMessages,
};

/**
 * One search box over tickets, contacts, companies and messages of ctx's tenant, in Chinese
 * and English (pre-tokenised search_vector columns), best matches first. Types the caller's
 * role may not read are left out; FORBIDDEN when that leaves nothing.
 */
export async function search(ctx: Ctx, query: SearchQuery): Promise<{ items: SearchHit[] }> {
  const actor = ctx.actor;
  if (actor.type === "contact") throw new DomainError("FORBIDDEN", "customers cannot search the service desk");
  const types = query.types.filter((t) => actor.type !== "user" || roleCan(actor.role, NEEDS[t]));
  if (types.length === 0) throw new DomainError("FORBIDDEN", "your role may not read any of these types");
  const tsquery = searchQuery(query.q);
  if (!tsquery) return { items: [] };
  const hits: SearchHit[] = [];
  for (const type of types) hits.push(...(await SEARCHERS[type](ctx, tsquery, query.q, query.limit)));
  hits.sort((a, b) => b.rank - a.rank || b.at.localeCompare(a.at));
  return { items: hits.slice(0, query.limit) };
}
