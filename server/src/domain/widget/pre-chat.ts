import { randomUUID } from "node:crypto";
import type { PreChatFormConfig, PreChatResult, PreChatSubmit } from "@yixian/contracts";
import { inTransaction } from "../context.ts";
import { refreshContactSearch } from "../customers/contact-search.ts";
import { customerChanged } from "../customers/customer-events.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { presentVisitorConversation } from "./present-visitor.ts";
import { contactByIdentity, moveVisitorIdentity } from "./identify-visitor.ts";
import { describeContact } from "./sessions.ts";
import { sendVisitorMessage, visitorConversationRow } from "./visitor-chat.ts";
import type { VisitorChannel } from "./visitor-channel.ts";
import { loadVisitorSession, type VisitorSession } from "./visitor-context.ts";

const FIELDS = ["name", "phone", "company", "verificationCode"] as const;

/** Required fields must be there; fields the form does not show are ignored. */
function formValues(form: PreChatFormConfig, input: PreChatSubmit): Partial<Record<(typeof FIELDS)[number], string>> {
  const values: Partial<Record<(typeof FIELDS)[number], string>> = {};
  for (const field of FIELDS) {
    const value = input[field];
    if (form[field] === "required" && !value) throw new DomainError("VALIDATION_FAILED", `${field} is required`, { field });
    if (form[field] !== "off" && value) values[field] = value;
  }
  return values;
}

/**
 * The pre-chat form: a phone number finds the known customer (the visitor's identity moves to
 * them) or is added to the visitor's contact; a verification code puts the contact in its
 * company (INVALID_VERIFICATION_CODE when no company has it); a name (and free-text company)
 * renames the visitor's own contact. A first message starts the conversation.
 */
export async function submitPreChat(session: VisitorSession, via: VisitorChannel, input: PreChatSubmit): Promise<PreChatResult> {
  const { ctx, visitor, widget } = session;
  const values = formValues(widget.pre_chat_form as PreChatFormConfig, input);
  const open = await visitorConversationRow(session);
  await inTransaction(ctx, async (tx) => {
    const target = values.phone ? await contactByIdentity(tx, session, "phone", values.phone) : session.contact;
    const own = target.id === session.contact.id;
    const company = values.verificationCode
      ? await tx.selectFrom("companies").select(["id", "name"]).where("tenant_id", "=", ctx.tenantId).where("verification_code", "=", values.verificationCode).executeTakeFirst()
      : undefined;
    if (values.verificationCode && !company) throw new DomainError("INVALID_VERIFICATION_CODE", "no customer has this verification code", { field: "verificationCode" });
    const now = ctx.deps.clock.now();
    const set: { name?: string; company_id?: string; custom_fields?: string; anonymous?: boolean } = {};
    if (own && values.name) set.name = values.name;
    // a name or phone number makes the visitor someone (a verification code alone does not)
    if (own && target.anonymous && (values.name || values.phone)) set.anonymous = false;
    if (company) set.company_id = company.id;
    if (own && values.company && !company) set.custom_fields = JSON.stringify({ ...target.custom_fields, widgetCompany: values.company });
    const updated = Object.keys(set).length > 0
      ? await tx.updateTable("contacts").set({ ...set, updated_at: now }).where("tenant_id", "=", ctx.tenantId).where("id", "=", target.id).returningAll().executeTakeFirstOrThrow()
      : target;
    if (!own) {
      await moveVisitorIdentity(tx, session, target.id);
      // a waiting chat without a ticket yet belongs to the customer it turned out to be
      if (open && open.state !== "ended" && !open.ticket_id) {
        await tx.updateTable("conversations").set({ contact_id: target.id, updated_at: now }).where("tenant_id", "=", ctx.tenantId).where("id", "=", open.id).execute();
        await tx.updateTable("conversation_participants").set({ contact_id: target.id }).where("tenant_id", "=", ctx.tenantId).where("conversation_id", "=", open.id).where("kind", "=", "customer").execute();
      }
    }
    await tx.updateTable("widget_visitors").set({ identified: true, updated_at: now }).where("tenant_id", "=", ctx.tenantId).where("id", "=", visitor.id).execute();
    await refreshContactSearch(tx, ctx.tenantId, [target.id]);
    await recordAudit(tx, ctx, {
      action: "widget_visitor.identified",
      entityType: "contact",
      entityId: target.id,
      changes: { visitorId: visitor.id, by: values.phone ? "phone" : values.verificationCode ? "verification_code" : "form", linked: !own, companyId: company?.id ?? null, ...set },
    });
    await customerChanged(tx, ctx.tenantId, "contact", updated, own ? Object.keys(set) : ["identities"]);
  });
  let fresh = await loadVisitorSession(ctx.deps, visitor.tenant_id, visitor.id);
  const message = input.message ? await sendVisitorMessage(fresh, via, { text: input.message, clientId: input.clientId ?? randomUUID(), attachmentIds: [] }) : null;
  if (message) fresh = await loadVisitorSession(ctx.deps, visitor.tenant_id, visitor.id);
  const conversation = await visitorConversationRow(fresh);
  return {
    contact: await describeContact(ctx.deps.db, fresh.contact, true),
    conversation: conversation ? await presentVisitorConversation(ctx.deps.db, conversation, fresh.visitor) : null,
    message,
  };
}
