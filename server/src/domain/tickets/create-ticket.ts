import type { Channel, Ticket, TicketPriority } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { applyCustomFields } from "../custom-fields/validate-custom-fields.ts";
import { DomainError, notFound } from "../errors.ts";
import { TicketRefused, writeTicket, type TicketDraft } from "./insert-ticket.ts";
import { checkNewTicketReferences } from "./new-ticket-references.ts";
import { presentTicket } from "./present-ticket.ts";

export interface CreateTicketInput {
  subject: string;
  priority: TicketPriority;
  sourceChannel: Channel | null;
  contactId: string | null;
  /** Undefined: the contact's company. */
  companyId?: string | null;
  categoryId: string | null;
  queueId: string | null;
  assigneeId: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
  description?: string;
}

/** The API's error for a reference the ticket statement found missing or unusable. */
function refusedError(reason: string): DomainError {
  const at = reason.indexOf(":");
  const kind = at < 0 ? reason : reason.slice(0, at);
  const detail = reason.slice(at + 1);
  if (kind === "not-found") return notFound(detail);
  if (kind === "merged") return new DomainError("CONTACT_MERGED", `the contact was merged into ${detail}; use that contact`);
  if (kind === "inactive") return new DomainError("VALIDATION_FAILED", `${detail} is deactivated and cannot be assigned tickets`);
  return new DomainError("VALIDATION_FAILED", reason);
}

/**
 * Opens a ticket by hand (an agent logging a problem, an integration). Every referenced record
 * must be in ctx's tenant (NOT_FOUND otherwise) and custom fields must match the definitions.
 *
 * The hot path of every integration (and of e-mail and WeChat later): without custom fields, one
 * statement that checks the references, takes the number and writes the ticket with its timeline
 * entry, audit entry and event, carrying its BEGIN and COMMIT (decisions 0010, 0011). With custom
 * fields (or when the tenant requires one), the references and field definitions are read first
 * and the fields checked before that statement.
 */
export async function createTicket(ctx: Ctx, input: CreateTicketInput): Promise<Ticket> {
  const draft: TicketDraft = {
    subject: input.subject,
    priority: input.priority,
    sourceChannel: input.sourceChannel,
    contactId: input.contactId,
    ...(input.companyId !== undefined ? { companyId: input.companyId } : {}),
    categoryId: input.categoryId,
    queueId: input.queueId,
    assigneeId: input.assigneeId,
    tags: input.tags,
    customFields: {},
    ...(input.description ? { createdData: { description: input.description } } : {}),
  };
  const withFields = Object.keys(input.customFields).length > 0;
  if (withFields) {
    draft.customFields = applyCustomFields(await checkNewTicketReferences(ctx, input), {}, input.customFields);
  }
  try {
    return presentTicket(await write(ctx, draft, !withFields));
  } catch (err) {
    if (!(err instanceof TicketRefused)) throw err;
    if (err.reason !== "fields-required") throw refusedError(err.reason);
  }
  // a required field is missing: say which, as the definitions do
  draft.customFields = applyCustomFields(await checkNewTicketReferences(ctx, input), {}, input.customFields);
  return presentTicket(await write(ctx, draft, false));
}

function write(ctx: Ctx, draft: TicketDraft, fieldsUnchecked: boolean) {
  const now = ctx.deps.clock.now();
  return inTransaction(ctx, (tx) => writeTicket(tx, ctx, draft, { number: null, now, last: true, fieldsUnchecked }));
}
