import type { Channel, Ticket, TicketPriority } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../context.ts";
import { loadFieldDefinitions } from "../custom-fields/load-definitions.ts";
import { applyCustomFields } from "../custom-fields/validate-custom-fields.ts";
import { insertTicket } from "./insert-ticket.ts";
import { presentTicket } from "./present-ticket.ts";
import { loadTicketView } from "./ticket-query.ts";
import { findAssignableUser, findCategory, findCompany, findContact, findQueue } from "./ticket-references.ts";

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

/**
 * Opens a ticket by hand (an agent logging a problem, an integration). Every referenced record
 * must be in ctx's tenant (NOT_FOUND otherwise) and custom fields must match the definitions.
 */
export async function createTicket(ctx: Ctx, input: CreateTicketInput): Promise<Ticket> {
  const row = await inTransaction(ctx, async (tx) => {
    const contact = input.contactId ? await findContact(tx, ctx, input.contactId) : null;
    const companyId = input.companyId === undefined ? (contact?.companyId ?? null) : input.companyId;
    if (companyId) await findCompany(tx, ctx, companyId);
    if (input.categoryId) await findCategory(tx, ctx, input.categoryId);
    if (input.queueId) await findQueue(tx, ctx, input.queueId);
    if (input.assigneeId) await findAssignableUser(tx, ctx, input.assigneeId);
    const customFields = applyCustomFields(await loadFieldDefinitions(tx, ctx, "ticket"), {}, input.customFields);
    const ticket = await insertTicket(tx, ctx, {
      subject: input.subject,
      priority: input.priority,
      sourceChannel: input.sourceChannel,
      contactId: contact?.id ?? null,
      companyId,
      categoryId: input.categoryId,
      queueId: input.queueId,
      assigneeId: input.assigneeId,
      tags: input.tags,
      customFields,
      ...(input.description ? { createdData: { description: input.description } } : {}),
    });
    return loadTicketView(tx, ctx, ticket.id);
  });
  return presentTicket(row);
}
