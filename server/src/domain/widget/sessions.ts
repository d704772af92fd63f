import type { CreateVisitorSession, PreChatFormConfig, VisitorConversation, VisitorSession as VisitorSessionAnswer } from "@yixian/contracts";
import { randomInt } from "node:crypto";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import { inTransaction, type Ctx, type Deps } from "../context.ts";
import { refreshContactSearch } from "../customers/contact-search.ts";
import { customerChanged } from "../customers/customer-events.ts";
import { recordAudit } from "../shared/audit.ts";
import { presentVisitorConversation } from "./present-visitor.ts";
import { signVisitorToken, verifyVisitorToken, widgetSecret } from "./secret.ts";
import { loadVisitorSession, widgetByKey, type VisitorSession } from "./visitor-context.ts";

function visitorName(locale: string, digits: string): string {
  return locale.toLowerCase().startsWith("en") ? `Visitor ${digits}` : `访客 ${digits}`;
}

/** A new visitor: a contact "访客 1234" owning a fresh visitor_id identity, and its visitor row. */
async function newVisitor(deps: Deps, widget: Row<"widget_configs">, locale: string): Promise<string> {
  const ctx: Ctx = { tenantId: widget.tenant_id, actor: { type: "integration", id: null, name: "web chat widget" }, deps, log: deps.log };
  return inTransaction(ctx, async (tx) => {
    const now = deps.clock.now();
    const visitorId = newId(now.getTime());
    const name = visitorName(locale, String(randomInt(0, 10_000)).padStart(4, "0"));
    const contact = await tx
      .insertInto("contacts")
      .values({
        id: newId(now.getTime()),
        tenant_id: ctx.tenantId,
        name,
        language: locale.toLowerCase().startsWith("en") ? "en" : "zh-CN",
        custom_fields: JSON.stringify({}),
        anonymous: true,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx.insertInto("identities").values({ tenant_id: ctx.tenantId, contact_id: contact.id, kind: "visitor_id", value: visitorId, display_value: visitorId }).execute();
    await tx
      .insertInto("widget_visitors")
      .values({ id: visitorId, tenant_id: ctx.tenantId, widget_config_id: widget.id, visitor_key: visitorId, created_at: now, updated_at: now })
      .execute();
    await refreshContactSearch(tx, ctx.tenantId, [contact.id]);
    await recordAudit(tx, ctx, { action: "contact.created", entityType: "contact", entityId: contact.id, changes: { name, identity: { kind: "visitor_id", value: visitorId }, via: "widget" } });
    await customerChanged(tx, ctx.tenantId, "contact", contact, ["created"]);
    return visitorId;
  });
}

/** The visitor's open conversation, or the last one while it is ended and not rated yet. */
export async function currentConversation(db: Executor, session: VisitorSession): Promise<VisitorConversation | null> {
  const { visitor, contact } = session;
  if (!visitor.conversation_id) return null;
  const row = await db
    .selectFrom("conversations")
    .selectAll()
    .where("tenant_id", "=", visitor.tenant_id)
    .where("id", "=", visitor.conversation_id)
    .where("contact_id", "=", contact.id)
    .executeTakeFirst();
  if (!row) return null;
  const presented = await presentVisitorConversation(db, row, visitor);
  return presented.state === "ended" && (presented.rated || !row.ticket_id) ? null : presented;
}

export function needsPreChat(form: PreChatFormConfig, identified: boolean): boolean {
  return !identified && Object.values(form).some((mode) => mode === "required");
}

export async function describeContact(db: Executor, contact: Row<"contacts">, identified: boolean): Promise<VisitorSessionAnswer["contact"]> {
  const company = contact.company_id
    ? await db.selectFrom("companies").select("name").where("tenant_id", "=", contact.tenant_id).where("id", "=", contact.company_id).executeTakeFirst()
    : undefined;
  return { name: contact.name, companyName: company?.name ?? null, identified };
}

/**
 * Starts a widget session: a valid token of this widget resumes its visitor (returning), anything
 * else makes a new visitor. Answers a freshly signed token.
 */
export async function createVisitorSession(deps: Deps, widgetKey: string, input: CreateVisitorSession): Promise<VisitorSessionAnswer> {
  const widget = await widgetByKey(deps.db, widgetKey);
  const secret = widgetSecret(deps.config);
  const claims = input.visitorToken ? verifyVisitorToken(secret, input.visitorToken) : null;
  let visitorId: string | null = null;
  if (claims && claims.tenantId === widget.tenant_id) {
    const known = await deps.db
      .selectFrom("widget_visitors")
      .select("id")
      .where("tenant_id", "=", widget.tenant_id)
      .where("id", "=", claims.visitorId)
      .where("widget_config_id", "=", widget.id)
      .executeTakeFirst();
    visitorId = known?.id ?? null;
  }
  const returning = visitorId !== null;
  visitorId ??= await newVisitor(deps, widget, input.locale ?? widget.locale);
  const session = await loadVisitorSession(deps, widget.tenant_id, visitorId);
  return {
    visitorToken: signVisitorToken(secret, { tenantId: widget.tenant_id, visitorId }),
    visitorId,
    returning,
    contact: await describeContact(deps.db, session.contact, session.visitor.identified),
    needsPreChat: needsPreChat(widget.pre_chat_form as PreChatFormConfig, session.visitor.identified),
    conversation: await currentConversation(deps.db, session),
  };
}
