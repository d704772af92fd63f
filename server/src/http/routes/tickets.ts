import {
  ZAddNote,
  ZAssignTicket,
  ZChangeTicketStatus,
  ZCreateTicket,
  ZLinkTicket,
  ZMergeTicket,
  ZTicket,
  ZTicketDetail,
  ZTicketLinkParams,
  ZTicketListQuery,
  ZTicketParams,
  ZTimelineItem,
  ZTimelineQuery,
  ZUpdateTicket,
  page,
} from "@yixian/contracts";
import { addNote } from "../../domain/tickets/add-note.ts";
import { assignTicket } from "../../domain/tickets/assign-ticket.ts";
import { changeTicketStatus } from "../../domain/tickets/change-ticket-status.ts";
import { createTicket } from "../../domain/tickets/create-ticket.ts";
import { getTicket } from "../../domain/tickets/get-ticket.ts";
import { getTimeline } from "../../domain/tickets/get-timeline.ts";
import { linkTickets } from "../../domain/tickets/link-tickets.ts";
import { listTickets } from "../../domain/tickets/list-tickets.ts";
import { mergeTickets } from "../../domain/tickets/merge-tickets.ts";
import { unlinkTickets } from "../../domain/tickets/unlink-tickets.ts";
import { updateTicket } from "../../domain/tickets/update-ticket.ts";
import { defineRoute, type AnyRoute } from "../route.ts";
import { categoryRoutes } from "./categories.ts";
import { customFieldRoutes } from "./custom-fields.ts";
import { ratingRoutes } from "./ratings.ts";

const tag = "tickets";

const ticketCoreRoutes = [
  defineRoute({
    method: "post",
    path: "/tickets",
    tag,
    summary: "Open a ticket (one problem, one ticket)",
    auth: "ticket:write",
    status: 201,
    body: ZCreateTicket,
    response: ZTicket,
    example: {
      subject: "发票打印不出来",
      priority: "high",
      sourceChannel: "phone",
      contactId: "0190c6a1-7b2e-7c3d-8e4f-5a6b7c8d9e0f",
      tags: ["发票"],
      customFields: { printer_model: "HP M104" },
      description: "客户反映开票软件点击打印后无反应",
    },
    handler: ({ ctx, body }) => createTicket(ctx, body),
  }),
  defineRoute({
    method: "get",
    path: "/tickets",
    tag,
    summary: "Tickets, most recently changed first; filter by status, assignee (or me), queue, customer, priority, tag, text",
    auth: "ticket:read",
    query: ZTicketListQuery,
    response: page(ZTicket),
    handler: ({ ctx, query }) => listTickets(ctx, query),
  }),
  defineRoute({
    method: "get",
    path: "/tickets/{ticketId}",
    tag,
    summary: "One ticket with its customer, category, queue, assignee and links",
    auth: "ticket:read",
    params: ZTicketParams,
    response: ZTicketDetail,
    handler: ({ ctx, params }) => getTicket(ctx, params.ticketId),
  }),
  defineRoute({
    method: "patch",
    path: "/tickets/{ticketId}",
    tag,
    summary: "Change subject, priority, category, queue (a transfer), tags or custom fields",
    auth: "ticket:write",
    params: ZTicketParams,
    body: ZUpdateTicket,
    response: ZTicket,
    example: { priority: "urgent", tags: ["发票", "打印机"], customFields: { printer_model: "Canon LBP2900" } },
    handler: ({ ctx, params, body }) => updateTicket(ctx, params.ticketId, body),
  }),
  defineRoute({
    method: "post",
    path: "/tickets/{ticketId}/status",
    tag,
    summary: "Move the ticket: new → open → pending → resolved → closed; resolved → open reopens",
    auth: "ticket:write",
    params: ZTicketParams,
    body: ZChangeTicketStatus,
    response: ZTicket,
    example: { status: "resolved", reason: "驱动重装后可以打印" },
    handler: ({ ctx, params, body }) => changeTicketStatus(ctx, params.ticketId, body),
  }),
  defineRoute({
    method: "post",
    path: "/tickets/{ticketId}/assign",
    tag,
    summary: "Assign the ticket to an active user, or unassign it with null",
    auth: "ticket:assign",
    params: ZTicketParams,
    body: ZAssignTicket,
    response: ZTicket,
    example: { assigneeId: "0190c6a1-7b2e-7c3d-8e4f-5a6b7c8d9e0f", note: "熟悉该型号打印机" },
    handler: ({ ctx, params, body }) => assignTicket(ctx, params.ticketId, body),
  }),
  defineRoute({
    method: "post",
    path: "/tickets/{ticketId}/notes",
    tag,
    summary: "Add an internal note to the timeline (never shown to the customer)",
    auth: "ticket:note",
    status: 201,
    params: ZTicketParams,
    body: ZAddNote,
    response: ZTimelineItem,
    example: { body: "已远程查看，打印队列卡住，建议上门" },
    handler: ({ ctx, params, body }) => addNote(ctx, params.ticketId, body),
  }),
  defineRoute({
    method: "get",
    path: "/tickets/{ticketId}/timeline",
    tag,
    summary: "The ticket's one timeline, oldest first: messages of every channel, calls, notes, changes, ratings",
    auth: "ticket:read",
    params: ZTicketParams,
    query: ZTimelineQuery,
    response: page(ZTimelineItem),
    handler: ({ ctx, params, query }) => getTimeline(ctx, params.ticketId, query),
  }),
];

const ticketRelationRoutes = [
  defineRoute({
    method: "post",
    path: "/tickets/{ticketId}/links",
    tag,
    summary: "Link another ticket; kind says what it is to this one (parent, child, duplicate, related)",
    auth: "ticket:write",
    status: 201,
    params: ZTicketParams,
    body: ZLinkTicket,
    response: ZTicketDetail,
    example: { linkedTicketId: "0190c6a1-7b2e-7c3d-8e4f-5a6b7c8d9e0f", kind: "related" },
    handler: ({ ctx, params, body }) => linkTickets(ctx, params.ticketId, body),
  }),
  defineRoute({
    method: "delete",
    path: "/tickets/{ticketId}/links/{linkedTicketId}",
    tag,
    summary: "Remove the link between two tickets",
    auth: "ticket:write",
    status: 204,
    params: ZTicketLinkParams,
    handler: ({ ctx, params }) => unlinkTickets(ctx, params.ticketId, params.linkedTicketId),
  }),
  defineRoute({
    method: "post",
    path: "/tickets/{ticketId}/merge",
    tag,
    summary: "Merge another ticket about the same problem into this one; the source is closed",
    auth: "ticket:merge",
    params: ZTicketParams,
    body: ZMergeTicket,
    response: ZTicketDetail,
    example: { sourceTicketId: "0190c6a1-7b2e-7c3d-8e4f-5a6b7c8d9e0f" },
    handler: ({ ctx, params, body }) => mergeTickets(ctx, params.ticketId, body),
  }),
];

export const ticketRoutes: AnyRoute[] = [...ticketCoreRoutes, ...ticketRelationRoutes, ...ratingRoutes, ...categoryRoutes, ...customFieldRoutes];
