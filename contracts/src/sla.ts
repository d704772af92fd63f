import { z } from "zod";
import { ZId, ZTimestamp } from "./common.ts";
import { ZCalendarDate, ZServicePack } from "./customers.ts";
import { TICKET_PRIORITIES } from "./timeline.ts";

// ---------------------------------------------------------------- business-hours calendars

export const WEEKDAY_KEYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

export const ZTimeOfDay = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "HH:MM, 00:00–24:00")
  .describe("Local wall-clock time HH:MM; 24:00 ends a span at midnight");

export const ZSpan = z
  .tuple([ZTimeOfDay, ZTimeOfDay])
  .refine(([from, to]) => from < to, "a span must end after it starts")
  .describe("[from, to] on one local day");

export const ZSpans = z
  .array(ZSpan)
  .max(12)
  .refine((spans) => spans.every((span, i) => i === 0 || spans[i - 1]![1] <= span[0]), "spans must be in order and must not overlap");

export const ZWeeklyHours = z
  .strictObject(Object.fromEntries(WEEKDAY_KEYS.map((d) => [d, ZSpans.optional()])) as Record<WeekdayKey, z.ZodOptional<typeof ZSpans>>)
  .refine((week) => Object.values(week).some((spans) => spans && spans.length > 0), "a calendar must be open at least once a week")
  .describe('Opening spans per weekday, e.g. {"mon":[["09:00","12:00"],["13:00","18:00"]]}; a missing day is closed');

export const ZHoliday = z.object({ date: ZCalendarDate, name: z.string().trim().max(100).optional() });
export const ZExtraWorkday = z
  .object({ date: ZCalendarDate, hours: ZSpans.min(1), name: z.string().trim().max(100).optional() })
  .describe("调休: a make-up working day (often a weekend) open with these hours");

export const ZTimeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "not an IANA time zone")
  .describe("IANA time zone, e.g. Asia/Shanghai");

/** Why a set of special days is inconsistent, or null: a date appears twice, or as both a holiday and a make-up day. */
export function specialDaysProblem(holidays: readonly { date: string }[], extraWorkdays: readonly { date: string }[]): string | null {
  const seen = new Set<string>();
  for (const { date } of [...holidays, ...extraWorkdays]) {
    if (seen.has(date)) return `${date} is listed twice (a day is either a holiday or a make-up workday)`;
    seen.add(date);
  }
  return null;
}

const ZSpecialDays = {
  holidays: z.array(ZHoliday).max(1000),
  extraWorkdays: z.array(ZExtraWorkday).max(1000),
};

export const ZCalendar = z.object({
  id: ZId,
  name: z.string(),
  timeZone: z.string(),
  weeklyHours: z.record(z.string(), z.array(z.tuple([z.string(), z.string()]))),
  holidays: z.array(z.object({ date: z.string(), name: z.string().optional() })),
  extraWorkdays: z.array(z.object({ date: z.string(), hours: z.array(z.tuple([z.string(), z.string()])), name: z.string().optional() })),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type Calendar = z.infer<typeof ZCalendar>;

export const ZCreateCalendar = z
  .object({
    name: z.string().trim().min(1).max(100),
    timeZone: ZTimeZone.optional().describe("Defaults to the tenant's time zone"),
    weeklyHours: ZWeeklyHours,
    holidays: ZSpecialDays.holidays.default([]),
    extraWorkdays: ZSpecialDays.extraWorkdays.default([]),
  })
  .superRefine((c, issue) => {
    const problem = specialDaysProblem(c.holidays, c.extraWorkdays);
    if (problem) issue.addIssue({ code: "custom", message: problem, path: ["extraWorkdays"] });
  });
export type CreateCalendar = z.infer<typeof ZCreateCalendar>;

export const ZUpdateCalendar = z
  .object({
    name: z.string().trim().min(1).max(100),
    timeZone: ZTimeZone,
    weeklyHours: ZWeeklyHours,
    holidays: ZSpecialDays.holidays,
    extraWorkdays: ZSpecialDays.extraWorkdays,
  })
  .partial();
export type UpdateCalendar = z.infer<typeof ZUpdateCalendar>;

export const ZCalendarParams = z.object({ calendarId: ZId });
export const ZCalendarStatusQuery = z.object({
  at: z.iso.datetime({ offset: true }).optional().describe("The instant to ask about (default: now)"),
});
export const ZCalendarStatus = z.object({
  at: ZTimestamp,
  open: z.boolean(),
  nextChange: ZTimestamp.nullable().describe("When it next closes (if open) or opens (if closed); null: never"),
});
export type CalendarStatus = z.infer<typeof ZCalendarStatus>;

// ---------------------------------------------------------------- SLA policies

export const SLA_TARGETS = ["first_response", "next_response", "resolution"] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];
export const ZSlaTarget = z.enum(SLA_TARGETS);

export const RAISE_PRIORITY = ["one_step", ...TICKET_PRIORITIES] as const;

const ZMinutes = z.number().int().min(1).max(525_600).nullable();

export const ZSlaMatch = z.object({
  priorities: z.array(z.enum(TICKET_PRIORITIES)).max(TICKET_PRIORITIES.length).default([]).describe("Any of these priorities; empty: any"),
  servicePacks: z.array(ZServicePack).max(10).default([]).describe("Company service pack (unexpired); empty: any"),
});
export const ZSlaTargets = z.object({
  firstResponseMinutes: ZMinutes.default(null),
  nextResponseMinutes: ZMinutes.default(null).describe("From a customer's message that waits for an answer to the next agent reply"),
  resolutionMinutes: ZMinutes.default(null),
});
export const ZSlaEscalation = z.object({
  notifySupervisors: z.boolean().default(true).describe("sla:breached to every supervisor's agent room"),
  raisePriority: z.enum(RAISE_PRIORITY).nullable().default(null).describe("one_step, or to this level (never lowers)"),
  moveToQueueId: ZId.nullable().default(null),
});

export const ZSlaPolicy = z.object({
  id: ZId,
  name: z.string(),
  position: z.number().int(),
  isDefault: z.boolean(),
  match: z.object({ priorities: z.array(z.enum(TICKET_PRIORITIES)), servicePacks: z.array(ZServicePack) }),
  calendarId: ZId.nullable().describe("Business hours the targets are measured in; null: 24×7"),
  targets: z.object({ firstResponseMinutes: z.number().nullable(), nextResponseMinutes: z.number().nullable(), resolutionMinutes: z.number().nullable() }),
  warnFraction: z.number(),
  pauseWhenPending: z.boolean(),
  escalation: z.object({ notifySupervisors: z.boolean(), raisePriority: z.enum(RAISE_PRIORITY).nullable(), moveToQueueId: ZId.nullable() }),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type SlaPolicy = z.infer<typeof ZSlaPolicy>;

const ZWarnFraction = z.number().gt(0).lt(1).describe("Warn when this fraction of the target has elapsed, e.g. 0.8");

export const ZCreateSlaPolicy = z.object({
  name: z.string().trim().min(1).max(100),
  position: z.number().int().min(0).max(100_000).optional().describe("Order of matching; default: after the others"),
  isDefault: z.boolean().default(false).describe("Applies when no other policy matches; its match must be empty"),
  match: ZSlaMatch.default({ priorities: [], servicePacks: [] }),
  calendarId: ZId.nullable().default(null),
  targets: ZSlaTargets,
  warnFraction: ZWarnFraction.default(0.8),
  pauseWhenPending: z.boolean().default(true),
  escalation: ZSlaEscalation.default({ notifySupervisors: true, raisePriority: null, moveToQueueId: null }),
});
export type CreateSlaPolicy = z.infer<typeof ZCreateSlaPolicy>;

export const ZUpdateSlaPolicy = z
  .object({
    name: z.string().trim().min(1).max(100),
    position: z.number().int().min(0).max(100_000),
    isDefault: z.boolean(),
    match: z.object({ priorities: z.array(z.enum(TICKET_PRIORITIES)).max(TICKET_PRIORITIES.length), servicePacks: z.array(ZServicePack).max(10) }).partial(),
    calendarId: ZId.nullable(),
    targets: z.object({ firstResponseMinutes: ZMinutes, nextResponseMinutes: ZMinutes, resolutionMinutes: ZMinutes }).partial(),
    warnFraction: ZWarnFraction,
    pauseWhenPending: z.boolean(),
    escalation: z.object({ notifySupervisors: z.boolean(), raisePriority: z.enum(RAISE_PRIORITY).nullable(), moveToQueueId: ZId.nullable() }).partial(),
  })
  .partial();
export type UpdateSlaPolicy = z.infer<typeof ZUpdateSlaPolicy>;

export const ZSlaPolicyParams = z.object({ slaPolicyId: ZId });

// ---------------------------------------------------------------- a ticket's live SLA clocks

export const SLA_CLOCK_STATES = ["running", "paused", "met", "breached"] as const;
export type SlaClockState = (typeof SLA_CLOCK_STATES)[number];

export const ZSlaClock = z.object({
  target: ZSlaTarget,
  state: z.enum(SLA_CLOCK_STATES).describe("breached: past due, running or stopped late; met: stopped in time"),
  startedAt: ZTimestamp.describe("Start of the current cycle"),
  dueAt: ZTimestamp.nullable().describe("null while paused (pending) before it fell due"),
  warnAt: ZTimestamp.nullable(),
  stoppedAt: ZTimestamp.nullable().describe("When the target was met (reply, resolution) or the ticket ended"),
  targetMinutes: z.number().int(),
  remainingSeconds: z.number().int().describe("Business seconds left (0 once due)"),
  overdueSeconds: z.number().int().describe("Business seconds past due (0 unless breached)"),
});
export type SlaClock = z.infer<typeof ZSlaClock>;

export const ZTicketSla = z.object({
  ticketId: ZId,
  policy: z.object({ id: ZId, name: z.string() }).nullable(),
  calendarId: ZId.nullable(),
  clocks: z.array(ZSlaClock),
});
export type TicketSla = z.infer<typeof ZTicketSla>;
