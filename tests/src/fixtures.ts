import { Readable } from "node:stream";
import type { ClientToServerEvents, ServerToClientEvents, TicketChangedEvent } from "@yixian/contracts";
import type { RunningServer } from "@yixian/server";
import { io, type Socket } from "socket.io-client";
import type { Test } from "supertest";
import { inTransaction, systemCtx } from "../../server/src/domain/context.ts";
import { insertTicket } from "../../server/src/domain/tickets/insert-ticket.ts";
import { normaliseIdentity } from "../../server/src/domain/customers/identities.ts";
import { searchTokens } from "../../server/src/domain/shared/search-tokens.ts";
import { newId, randomToken } from "../../server/src/platform/ids.ts";
import type { TestTenant } from "./harness.ts";

/**
 * One record of every kind a route can name in its path, keyed by the path parameter's name.
 * The tenant-isolation and authorisation tests substitute these into every route of the
 * OpenAPI document; a route whose parameter is missing here fails those tests until a fixture
 * is added below.
 */
export type FixtureIds = Record<string, string>;

export interface TenantFixtures {
  ids: FixtureIds;
  /** Values a lookup can be made by (query parameter → value): phone, e-mail, text … */
  lookups: Record<string, string>;
  /** A word that appears in the fixtures' names and subjects and nowhere else. */
  marker: string;
}

function digits(n: number): string {
  let out = "";
  while (out.length < n) out += String(Math.floor(Math.random() * 10));
  return out;
}

/** Builds one of everything in the tenant, written directly to the database. */
export async function buildTenantFixtures(server: RunningServer, tenant: TestTenant): Promise<TenantFixtures> {
  const { db } = server.deps;
  const ctx = systemCtx(server.deps, tenant.id);
  const marker = `fx${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, "q")}`;
  const t = tenant.id;

  const user = await db
    .insertInto("users")
    .values({ tenant_id: t, email: `${marker}.user@example.test`, display_name: `User ${marker}`, password_hash: "x", role: "agent" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const skill = await db.insertInto("skills").values({ tenant_id: t, name: `Skill ${marker}` }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("user_skills").values({ tenant_id: t, user_id: user.id, skill_id: skill.id, level: 3 }).execute();
  const queue = await db.insertInto("queues").values({ tenant_id: t, name: `Queue ${marker}` }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("queue_members").values({ tenant_id: t, queue_id: queue.id, user_id: user.id }).execute();

  const group = await db.insertInto("customer_groups").values({ tenant_id: t, name: `Group ${marker}` }).returning("id").executeTakeFirstOrThrow();
  const companyName = `Company ${marker} 发票`;
  const company = await db
    .insertInto("companies")
    .values({
      tenant_id: t,
      customer_group_id: group.id,
      name: companyName,
      verification_code: digits(8),
      service_pack: "standard",
      custom_fields: JSON.stringify({}),
      search_tokens: searchTokens(companyName),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const contactName = `Contact ${marker}`;
  const contacts = [];
  for (const suffix of ["", " second"]) {
    const name = `${contactName}${suffix}`;
    contacts.push(
      await db
        .insertInto("contacts")
        .values({ tenant_id: t, company_id: company.id, name, custom_fields: JSON.stringify({}), search_tokens: searchTokens(name) })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
  }
  const [contact, secondContact] = [contacts[0]!, contacts[1]!];
  const identityRows = [
    normaliseIdentity("phone", `138${digits(8)}`, "CN"),
    normaliseIdentity("email", `${marker}@example.test`, "CN"),
    normaliseIdentity("wechat_openid", `o${marker}`, "CN"),
    normaliseIdentity("visitor_id", `v-${marker}`, "CN"),
  ];
  const identities = await db
    .insertInto("identities")
    .values(identityRows.map((i) => ({ tenant_id: t, contact_id: contact.id, kind: i.kind, value: i.value, display_value: i.displayValue })))
    .returning(["id", "kind", "value"])
    .execute();
  const identity = identities[0]!;
  const verificationCode = await db.selectFrom("companies").select("verification_code").where("id", "=", company.id).executeTakeFirstOrThrow();

  const category = await db.insertInto("categories").values({ tenant_id: t, name: `Category ${marker}` }).returning("id").executeTakeFirstOrThrow();
  const customField = await db
    .insertInto("custom_field_definitions")
    .values({ tenant_id: t, entity: "ticket", key: `f_${marker}`, label: `Field ${marker}`, type: "text" })
    .returning("id")
    .executeTakeFirstOrThrow();

  const { ticket, linked, conversation, message } = await inTransaction(ctx, async (tx) => {
    const draft = { contactId: contact.id, companyId: company.id, categoryId: category.id, queueId: queue.id, assigneeId: user.id };
    const ticket = await insertTicket(tx, ctx, { ...draft, subject: `Ticket ${marker} 打印`, sourceChannel: "webchat" });
    const linked = await insertTicket(tx, ctx, { ...draft, subject: `Linked ${marker}`, sourceChannel: "phone" });
    await tx.insertInto("ticket_links").values({ tenant_id: t, ticket_id: ticket.id, linked_ticket_id: linked.id, kind: "related" }).execute();
    const conversation = await tx
      .insertInto("conversations")
      .values({
        id: newId(),
        tenant_id: t,
        channel: "webchat",
        contact_id: contact.id,
        identity_id: identity.id,
        ticket_id: ticket.id,
        queue_id: queue.id,
        assignee_id: user.id,
        state: "active",
        subject: `Chat ${marker}`,
        last_seq: 1,
        accepted_at: new Date(),
        last_message_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx.insertInto("conversation_participants").values({ tenant_id: t, conversation_id: conversation.id, kind: "customer", contact_id: contact.id }).execute();
    const body = `Hello ${marker}`;
    const message = await tx
      .insertInto("messages")
      .values({
        tenant_id: t,
        conversation_id: conversation.id,
        ticket_id: ticket.id,
        channel: "webchat",
        seq: 1,
        direction: "inbound",
        author_type: "contact",
        author_id: contact.id,
        body_text: body,
        search_tokens: searchTokens(body),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { ticket, linked, conversation, message };
  });

  const storageKey = `${t}/${newId()}`;
  const bytes = Buffer.from(`attachment of ${marker}\n`);
  const stored = await server.deps.storage.put(storageKey, Readable.from([bytes]), 1024);
  const attachment = await db
    .insertInto("attachments")
    .values({
      tenant_id: t,
      message_id: message.id,
      ticket_id: ticket.id,
      filename: `${marker}.txt`,
      content_type: "text/plain",
      size_bytes: stored.sizeBytes,
      sha256: stored.sha256,
      storage_key: storageKey,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const rating = await db
    .insertInto("ratings")
    .values({ tenant_id: t, ticket_id: linked.id, contact_id: contact.id, score: 5, channel: "phone" })
    .returning("id")
    .executeTakeFirstOrThrow();

  const ids: FixtureIds = {
    userId: user.id,
    skillId: skill.id,
    queueId: queue.id,
    customerGroupId: group.id,
    companyId: company.id,
    contactId: contact.id,
    secondContactId: secondContact.id,
    identityId: identity.id,
    categoryId: category.id,
    customFieldId: customField.id,
    ticketId: ticket.id,
    linkedTicketId: linked.id,
    conversationId: conversation.id,
    messageId: message.id,
    attachmentId: attachment.id,
    ratingId: rating.id,
  };
  const valueOf = (kind: string) => identities.find((i) => i.kind === kind)!.value;
  const lookups: Record<string, string> = {
    q: marker,
    phone: valueOf("phone"),
    email: valueOf("email"),
    wechatOpenid: valueOf("wechat_openid"),
    visitorId: valueOf("visitor_id"),
    verificationCode: verificationCode.verification_code,
  };
  return { ids, lookups, marker };
}

/**
 * Every row of the tenant in every table with a tenant_id column (found by introspection, so a
 * table added by a later migration is included), as sorted JSON: equal snapshots mean nothing
 * changed. The outbox is left out: delivering events stamps its rows in the background.
 */
export async function snapshotTenant(server: RunningServer, tenantId: string): Promise<Record<string, string[]>> {
  const db = server.deps.db.withTables<Record<string, { tenant_id: string; id: string }>>();
  const tables = (await db.introspection.getTables()).filter((t) => t.name !== "outbox" && t.columns.some((c) => c.name === "tenant_id")).map((t) => t.name);
  const out: Record<string, string[]> = {};
  for (const table of tables.sort()) {
    const rows = await db.selectFrom(table).selectAll().where("tenant_id", "=", tenantId).execute();
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  const tenant = await db.selectFrom("tenants").selectAll().where("id", "=", tenantId).execute();
  out.tenants = tenant.map((r) => JSON.stringify(r));
  return out;
}

/** The ids, identities and marker word of tenant A, which must never appear in an answer to tenant B. */
export function secretsOf(tenant: TestTenant, f: TenantFixtures): string[] {
  return [...new Set([tenant.id, ...Object.values(tenant.users).map((u) => u.id), ...Object.values(f.ids), ...Object.values(f.lookups)])];
}

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io client signed in with `token`; rejects with the server's connect_error. */
export function connectSocket(url: string, token?: string): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    path: "/socket.io",
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    auth: token === undefined ? {} : { token },
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Every `ticket:changed` the socket receives, in order. */
export function ticketEvents(socket: ClientSocket): TicketChangedEvent[] {
  const seen: TicketChangedEvent[] = [];
  socket.on("ticket:changed", (e) => seen.push(e));
  return seen;
}

/** Resolves once `check` returns true, polling; fails with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits until every event the server emitted to this socket so far has arrived: after the
 * outbox is flushed, an acknowledged request's answer comes after anything sent before it.
 */
export async function settle(server: RunningServer, socket: ClientSocket): Promise<void> {
  await server.deps.outbox.flush();
  await socket.emitWithAck("ticket:unsubscribe", "00000000-0000-0000-0000-000000000000");
}

// ------------------------------------------------------------------ walking the API document

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

interface OpenApiParameter {
  name: string;
  in: "path" | "query";
  required?: boolean;
  schema?: { type?: string; enum?: unknown[]; default?: unknown; format?: string };
}

interface OpenApiOperation {
  operationId: string;
  "x-permission": string;
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { example?: unknown }> };
}

/** One route as the OpenAPI document describes it. */
export interface Operation {
  method: HttpMethod;
  /** With the /api prefix and {params}. */
  path: string;
  name: string;
  permission: string;
  pathParams: string[];
  query: OpenApiParameter[];
  multipart: boolean;
  jsonBody: boolean;
  example: unknown;
}

const METHODS: HttpMethod[] = ["get", "post", "put", "patch", "delete"];

/** Every operation of the server's /api/openapi.json. */
export async function listOperations(server: RunningServer): Promise<Operation[]> {
  const res = await fetch(`${server.url}/api/openapi.json`);
  const doc = (await res.json()) as { paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>> };
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      out.push({
        method,
        path,
        name: `${method.toUpperCase()} ${path}`,
        permission: op["x-permission"],
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        query: params.filter((p) => p.in === "query"),
        multipart: "multipart/form-data" in content,
        jsonBody: "application/json" in content,
        example: content["application/json"]?.example,
      });
    }
  }
  return out;
}

/** Body keys that name a record of another kind than their name says. */
const KEY_ALIASES: Record<string, string> = { assigneeId: "userId", memberId: "userId", sourceTicketId: "linkedTicketId", sourceContactId: "secondContactId" };

function fixtureFor(key: string, ids: FixtureIds): string | undefined {
  return ids[key] ?? (KEY_ALIASES[key] ? ids[KEY_ALIASES[key]] : undefined);
}

/** The example with every id-named field (contactId, memberIds …) replaced by the fixture's id. */
export function withFixtureIds(value: unknown, ids: FixtureIds, key = ""): unknown {
  if (Array.isArray(value)) {
    const single = key.endsWith("Ids") ? fixtureFor(key.slice(0, -1), ids) : undefined;
    return single ? [single] : value.map((v) => withFixtureIds(v, ids));
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withFixtureIds(v, ids, k)]));
  }
  if (typeof value === "string" && key) return fixtureFor(key, ids) ?? value;
  return value;
}

/** The path with the fixtures' ids, and the names of parameters no fixture covers. */
export function fillPath(op: Operation, ids: FixtureIds): { url: string; missing: string[] } {
  const missing = op.pathParams.filter((p) => ids[p] === undefined);
  const url = op.path.replace(/\{(\w+)\}/g, (_m, p: string) => encodeURIComponent(ids[p] ?? "00000000-0000-7000-8000-000000000000"));
  return { url, missing };
}

function placeholder(p: OpenApiParameter): string {
  const s = p.schema ?? {};
  if (s.default !== undefined) return String(s.default);
  if (s.enum?.length) return String(s.enum[0]);
  if (s.type === "integer" || s.type === "number") return "1";
  if (s.format === "uuid") return "00000000-0000-7000-8000-000000000000";
  return "x";
}

/** Query for a call: every required parameter, with the fixture's id where the name matches. */
export function queryFor(op: Operation, ids: FixtureIds): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of op.query) if (p.required) out[p.name] = fixtureFor(p.name, ids) ?? placeholder(p);
  return out;
}

/**
 * One query per parameter that can name one of the fixtures (an id filter, a phone number, the
 * text `q` …), each on top of the required ones: the lookups another tenant must find nothing by.
 */
export function lookupQueries(op: Operation, f: TenantFixtures): Record<string, string>[] {
  const base = queryFor(op, f.ids);
  const out: Record<string, string>[] = [];
  for (const p of op.query) {
    const value = fixtureFor(p.name, f.ids) ?? f.lookups[p.name];
    if (value !== undefined) out.push({ ...base, [p.name]: value });
  }
  return out;
}

/** Sends the operation with the example body (ids replaced) or `{}`; multipart routes get no body. */
export function send(test: Test, op: Operation, ids: FixtureIds): Test {
  if (op.multipart || !op.jsonBody) return test;
  return test.send((withFixtureIds(op.example ?? {}, ids) ?? {}) as object);
}
