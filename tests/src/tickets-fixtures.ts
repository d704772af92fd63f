import type { RunningServer } from "@yixian/server";
import { expect } from "vitest";
import { searchTokens } from "../../server/src/domain/shared/search-tokens.ts";
import { newId } from "../../server/src/platform/ids.ts";
import { api, type TestTenant, type TestUser } from "./harness.ts";

/** Helpers for the ticket tests: customers, queues and chats written directly, tickets through the API. */

function digits(n: number): string {
  let out = "";
  while (out.length < n) out += String(Math.floor(Math.random() * 10));
  return out;
}

export async function makeCompanyContact(server: RunningServer, tenant: TestTenant, name = "张伟", companyName = "北京星辰科技有限公司") {
  const { db } = server.deps;
  const company = await db
    .insertInto("companies")
    .values({ tenant_id: tenant.id, name: companyName, verification_code: digits(8), service_pack: "vip", service_expires_on: "2027-06-30", custom_fields: "{}", search_tokens: searchTokens(companyName) })
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
  const contact = await db
    .insertInto("contacts")
    .values({ tenant_id: tenant.id, company_id: company.id, name, is_vip: true, custom_fields: "{}", search_tokens: searchTokens(name) })
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
  return { company, contact };
}

export async function makeQueue(server: RunningServer, tenant: TestTenant, name: string) {
  return server.deps.db.insertInto("queues").values({ tenant_id: tenant.id, name }).returning(["id", "name"]).executeTakeFirstOrThrow();
}

/**
 * A web chat bound to the ticket with one inbound message from the contact, and the message's
 * timeline entry, as the conversations engine writes them.
 */
export async function makeChat(server: RunningServer, tenant: TestTenant, ticketId: string, contactId: string, text: string) {
  const { db } = server.deps;
  const at = new Date();
  const conversation = await db
    .insertInto("conversations")
    .values({ id: newId(), tenant_id: tenant.id, channel: "webchat", contact_id: contactId, ticket_id: ticketId, state: "active", last_seq: 1, started_at: at, last_message_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  const message = await db
    .insertInto("messages")
    .values({
      tenant_id: tenant.id,
      conversation_id: conversation.id,
      ticket_id: ticketId,
      channel: "webchat",
      seq: 1,
      direction: "inbound",
      author_type: "contact",
      author_id: contactId,
      body_text: text,
      search_tokens: searchTokens(text),
      created_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("timeline_events")
    .values({ tenant_id: tenant.id, ticket_id: ticketId, kind: "message", occurred_at: at, actor_type: "contact", actor_id: contactId, conversation_id: conversation.id, message_id: message.id, data: "{}" })
    .execute();
  return { conversationId: conversation.id, messageId: message.id };
}

export interface CreatedTicket {
  id: string;
  number: string;
  status: string;
  [key: string]: unknown;
}

/** Opens a ticket through the API and expects it to succeed. */
export async function openTicket(server: RunningServer, user: TestUser, body: Record<string, unknown>): Promise<CreatedTicket> {
  const res = await api(server, user).post("/api/tickets").send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as CreatedTicket;
}

/** The kinds of a ticket's timeline entries, in order. */
export async function timelineKinds(server: RunningServer, user: TestUser, ticketId: string): Promise<string[]> {
  const res = await api(server, user).get(`/api/tickets/${ticketId}/timeline`).query({ limit: 500 });
  expect(res.status).toBe(200);
  return (res.body.data.items as { kind: string }[]).map((i) => i.kind);
}
