import { Readable } from "node:stream";
import type { RunningServer } from "@yixian/server";
import { inTransaction, systemCtx } from "../../server/src/domain/context.ts";
import { insertTicket } from "../../server/src/domain/tickets/insert-ticket.ts";
import { applySla } from "../../server/src/domain/sla/apply-sla.ts";
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
  const calendar = await db
    .insertInto("calendars")
    .values({ tenant_id: t, name: `Calendar ${marker}`, weekly_hours: JSON.stringify({ mon: [["09:00", "18:00"]] }) })
    .returning("id")
    .executeTakeFirstOrThrow();
  const slaPolicy = await db
    .insertInto("sla_policies")
    .values({ tenant_id: t, name: `SLA ${marker}`, position: 0, calendar_id: calendar.id, first_response_minutes: 60 })
    .returning("id")
    .executeTakeFirstOrThrow();

  const { ticket, linked, conversation, message } = await inTransaction(ctx, async (tx) => {
    const draft = { contactId: contact.id, companyId: company.id, categoryId: category.id, queueId: queue.id, assigneeId: user.id };
    const ticket = await insertTicket(tx, ctx, { ...draft, subject: `Ticket ${marker} 打印`, sourceChannel: "webchat" });
    const linked = await insertTicket(tx, ctx, { ...draft, subject: `Linked ${marker}`, sourceChannel: "phone" });
    // the tenant has an SLA policy: store the clocks now, so that the SLA watcher has nothing to write later
    for (const id of [ticket.id, linked.id]) await applySla(tx, ctx, id);
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
  const wallboardLink = await db
    .insertInto("wallboard_links")
    .values({ tenant_id: t, name: `Wallboard ${marker}`, token_hash: `${marker}-wallboard-token-hash`, queue_ids: [queue.id], expires_at: new Date(Date.now() + 86_400_000) })
    .returning("id")
    .executeTakeFirstOrThrow();
  // routing: a navigation rule, and the conversation's work item offered to the user
  const rule = await db
    .insertInto("routing_rules")
    .values({ tenant_id: t, name: `Rule ${marker}`, position: 1, conditions: JSON.stringify({}), action: JSON.stringify({ type: "queue", queueId: queue.id, priorityBoost: 0 }) })
    .returning("id")
    .executeTakeFirstOrThrow();
  const workItem = await db
    .insertInto("work_items")
    .values({
      tenant_id: t,
      queue_id: queue.id,
      media: "chat",
      channel: "webchat",
      conversation_id: conversation.id,
      ticket_id: ticket.id,
      contact_id: contact.id,
      state: "offered",
      enqueued_at: new Date(),
      offered_at: new Date(),
      rule_id: rule.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const offer = await db
    .insertInto("offers")
    .values({ tenant_id: t, work_item_id: workItem.id, agent_id: user.id, expires_at: new Date(Date.now() + 3_600_000) })
    .returning("id")
    .executeTakeFirstOrThrow();
  const rating = await db
    .insertInto("ratings")
    .values({ tenant_id: t, ticket_id: linked.id, contact_id: contact.id, score: 5, channel: "phone" })
    .returning("id")
    .executeTakeFirstOrThrow();

  // the workspace: the user's own canned reply, and a mention of the user in an internal note
  const cannedReply = await db
    .insertInto("canned_replies")
    .values({ tenant_id: t, owner_id: user.id, shortcut: `/${marker}`, title: `Reply ${marker}`, body: "{{contact.name}} 您好", created_by: user.id })
    .returning("id")
    .executeTakeFirstOrThrow();
  const mention = await db
    .insertInto("mentions")
    .values({ tenant_id: t, user_id: user.id, conversation_id: conversation.id, message_id: message.id, ticket_id: ticket.id, excerpt: `@User ${marker}` })
    .returning("id")
    .executeTakeFirstOrThrow();

  // the web chat widget
  const widget = await db
    .insertInto("widget_configs")
    .values({
      tenant_id: t,
      public_key: `wk_${marker.toLowerCase().replace(/[^a-z0-9]/g, "x")}`,
      name: `Widget ${marker}`,
      pre_chat_form: JSON.stringify({ name: "optional", phone: "optional", company: "off", verificationCode: "off" }),
      greeting: JSON.stringify({ "zh-CN": "您好", en: "Hello" }),
      offline_message: JSON.stringify({ "zh-CN": "请留言", en: "Leave a message" }),
      entry_point: `web-${marker}`,
      theme: JSON.stringify({ title: { "zh-CN": "客服", en: "Support" }, primaryColor: "#1677ff", textColor: "#ffffff" }),
    })
    .returning(["id", "public_key"])
    .executeTakeFirstOrThrow();

  // the phone: a trunk with a number
  const trunk = await db
    .insertInto("sip_trunks")
    .values({ tenant_id: t, name: `Trunk ${marker}`, hosts: ["198.51.100.10"], transport: "udp", allowed_sources: ["198.51.100.10"] })
    .returning("id")
    .executeTakeFirstOrThrow();
  const did = await db
    .insertInto("sip_dids")
    .values({ number: `+86400${digits(7)}`, tenant_id: t, trunk_id: trunk.id, queue_id: queue.id })
    .returning("number")
    .executeTakeFirstOrThrow();

  // the phone: a caller who hung up while queued, listed to be called back
  const missedAt = new Date();
  const missedCall = await db
    .insertInto("calls")
    .values({ tenant_id: t, sip_call_id: `missed-${marker}`, direction: "inbound", from_number: `+86139${digits(8)}`, did: did.number, queue_id: queue.id, started_at: missedAt, queued_at: missedAt, ended_at: missedAt, disposition: "abandoned", hangup_side: "caller" })
    .returning(["id", "from_number"])
    .executeTakeFirstOrThrow();
  const missed = await db
    .insertInto("missed_calls")
    .values({ tenant_id: t, kind: "missed", number: missedCall.from_number!, contact_id: contact.id, queue_id: queue.id, last_call_id: missedCall.id, first_at: missedAt, last_at: missedAt, updated_at: missedAt })
    .returning("id")
    .executeTakeFirstOrThrow();

  // the phone: a recording of the tenant's own (its file, as the upload stores it)
  const promptId = newId();
  const promptKey = `${t}/prompts/${promptId}.wav`;
  const promptFile = await server.deps.storage.put(promptKey, Readable.from([Buffer.from(`RIFF${marker}WAVE`)]), 1024);
  await db
    .insertInto("tenant_prompts")
    .values({
      id: promptId,
      tenant_id: t,
      name: "welcome",
      language: "zh-CN",
      storage_key: promptKey,
      sha256: promptFile.sha256,
      size_bytes: promptFile.sizeBytes,
      duration_ms: 1000,
      original_filename: `${marker}.mp3`,
      original_format: "mp3",
      uploaded_by: user.id,
    })
    .execute();

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
    wallboardLinkId: wallboardLink.id,
    calendarId: calendar.id,
    slaPolicyId: slaPolicy.id,
    routingRuleId: rule.id,
    workItemId: workItem.id,
    offerId: offer.id,
    cannedReplyId: cannedReply.id,
    mentionId: mention.id,
    widgetConfigId: widget.id,
    widgetKey: widget.public_key,
    trunkId: trunk.id,
    did: did.number,
    promptId,
    missedCallId: missed.id,
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
