import {
  ZCalendar,
  ZCalendarParams,
  ZCalendarStatus,
  ZCalendarStatusQuery,
  ZCreateCalendar,
  ZCreateSlaPolicy,
  ZId,
  ZSlaPolicy,
  ZSlaPolicyParams,
  ZTicketSla,
  ZUpdateCalendar,
  ZUpdateSlaPolicy,
} from "@yixian/contracts";
import { z } from "zod";
import { createCalendar } from "../../domain/calendars/create-calendar.ts";
import { deleteCalendar } from "../../domain/calendars/delete-calendar.ts";
import { getCalendar, getCalendarStatus, listCalendars } from "../../domain/calendars/list-calendars.ts";
import { updateCalendar } from "../../domain/calendars/update-calendar.ts";
import { createSlaPolicy } from "../../domain/sla/create-sla-policy.ts";
import { deleteSlaPolicy } from "../../domain/sla/delete-sla-policy.ts";
import { getTicketSla } from "../../domain/sla/get-ticket-sla.ts";
import { getSlaPolicy, listSlaPolicies } from "../../domain/sla/list-sla-policies.ts";
import { updateSlaPolicy } from "../../domain/sla/update-sla-policy.ts";
import type { AnyRoute } from "../route.ts";
import { defineRoute } from "../route.ts";

const workday = [
  ["09:00", "12:00"],
  ["13:00", "18:00"],
];
const calendarExample = {
  name: "上海工作日",
  timeZone: "Asia/Shanghai",
  weeklyHours: { mon: workday, tue: workday, wed: workday, thu: workday, fri: workday },
  holidays: [{ date: "2026-10-01", name: "国庆节" }],
  extraWorkdays: [{ date: "2026-10-10", hours: [["09:00", "18:00"]], name: "调休" }],
};

const calendarRoutes = [
  defineRoute({ method: "get", path: "/calendars", tag: "calendars", summary: "Business-hours calendars", auth: "queue:read", response: z.array(ZCalendar), handler: ({ ctx }) => listCalendars(ctx) }),
  defineRoute({
    method: "post",
    path: "/calendars",
    tag: "calendars",
    summary: "Create a business-hours calendar: weekly spans, holidays and 调休 make-up workdays in one time zone",
    auth: "queue:manage",
    status: 201,
    body: ZCreateCalendar,
    response: ZCalendar,
    example: calendarExample,
    handler: ({ ctx, body }) => createCalendar(ctx, body),
  }),
  defineRoute({
    method: "get",
    path: "/calendars/{calendarId}",
    tag: "calendars",
    summary: "One calendar",
    auth: "queue:read",
    params: ZCalendarParams,
    response: ZCalendar,
    handler: ({ ctx, params }) => getCalendar(ctx, params.calendarId),
  }),
  defineRoute({
    method: "patch",
    path: "/calendars/{calendarId}",
    tag: "calendars",
    summary: "Change a calendar; SLA clocks measured in it are recomputed",
    auth: "queue:manage",
    params: ZCalendarParams,
    body: ZUpdateCalendar,
    response: ZCalendar,
    example: { holidays: [{ date: "2026-10-01", name: "国庆节" }, { date: "2026-10-02", name: "国庆节" }] },
    handler: ({ ctx, params, body }) => updateCalendar(ctx, params.calendarId, body),
  }),
  defineRoute({
    method: "delete",
    path: "/calendars/{calendarId}",
    tag: "calendars",
    summary: "Delete a calendar no queue or SLA policy uses (CONFLICT otherwise)",
    auth: "queue:manage",
    status: 204,
    params: ZCalendarParams,
    handler: ({ ctx, params }) => deleteCalendar(ctx, params.calendarId),
  }),
  defineRoute({
    method: "get",
    path: "/calendars/{calendarId}/status",
    tag: "calendars",
    summary: "Is the calendar open at an instant (default now), and when does that next change?",
    auth: "queue:read",
    params: ZCalendarParams,
    query: ZCalendarStatusQuery,
    response: ZCalendarStatus,
    handler: ({ ctx, params, query }) => getCalendarStatus(ctx, params.calendarId, query.at),
  }),
];

const policyExample = {
  name: "VIP 加急",
  match: { priorities: ["high", "urgent"], servicePacks: ["vip"] },
  calendarId: "0190a8f0-0000-7000-8000-000000000000",
  targets: { firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 480 },
  warnFraction: 0.8,
  pauseWhenPending: true,
  escalation: { notifySupervisors: true, raisePriority: "one_step", moveToQueueId: null },
};

const policyRoutes = [
  defineRoute({
    method: "get",
    path: "/sla-policies",
    tag: "sla",
    summary: "SLA policies in matching order (first match by position wins; the default policy last)",
    auth: "ticket:read",
    response: z.array(ZSlaPolicy),
    handler: ({ ctx }) => listSlaPolicies(ctx),
  }),
  defineRoute({
    method: "post",
    path: "/sla-policies",
    tag: "sla",
    summary: "Create an SLA policy: match, business-hours targets, warning point, pause while pending, escalation",
    auth: "queue:manage",
    status: 201,
    body: ZCreateSlaPolicy,
    response: ZSlaPolicy,
    example: policyExample,
    handler: ({ ctx, body }) => createSlaPolicy(ctx, body),
  }),
  defineRoute({
    method: "get",
    path: "/sla-policies/{slaPolicyId}",
    tag: "sla",
    summary: "One SLA policy",
    auth: "ticket:read",
    params: ZSlaPolicyParams,
    response: ZSlaPolicy,
    handler: ({ ctx, params }) => getSlaPolicy(ctx, params.slaPolicyId),
  }),
  defineRoute({
    method: "patch",
    path: "/sla-policies/{slaPolicyId}",
    tag: "sla",
    summary: "Change an SLA policy; new targets reach its open tickets' clocks shortly after",
    auth: "queue:manage",
    params: ZSlaPolicyParams,
    body: ZUpdateSlaPolicy,
    response: ZSlaPolicy,
    example: { targets: { firstResponseMinutes: 20 }, warnFraction: 0.75 },
    handler: ({ ctx, params, body }) => updateSlaPolicy(ctx, params.slaPolicyId, body),
  }),
  defineRoute({
    method: "delete",
    path: "/sla-policies/{slaPolicyId}",
    tag: "sla",
    summary: "Delete an SLA policy; its open tickets are matched again",
    auth: "queue:manage",
    status: 204,
    params: ZSlaPolicyParams,
    handler: ({ ctx, params }) => deleteSlaPolicy(ctx, params.slaPolicyId),
  }),
  defineRoute({
    method: "get",
    path: "/tickets/{ticketId}/sla",
    tag: "sla",
    summary: "The ticket's live SLA clocks: due and warning times, state, business time left or overdue",
    auth: "ticket:read",
    params: z.object({ ticketId: ZId }),
    response: ZTicketSla,
    handler: ({ ctx, params }) => getTicketSla(ctx, params.ticketId),
  }),
];

export const slaRoutes: AnyRoute[] = [...calendarRoutes, ...policyRoutes];
