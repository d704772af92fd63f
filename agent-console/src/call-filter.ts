import type { CallDisposition } from "@yixian/contracts";
import { dayStart } from "./format.ts";
import type { CallFilter } from "./keys.ts";

/** The filter form as typed: days from date inputs, "" for any. */
export interface CallFilterDraft {
  from: string;
  to: string;
  direction: "" | "inbound" | "outbound";
  disposition: "" | CallDisposition;
  agentId: string;
  queueId: string;
  number: string;
}

export const EMPTY_CALL_FILTER: CallFilterDraft = { from: "", to: "", direction: "", disposition: "", agentId: "", queueId: "", number: "" };
// the contracts' lists, kept here as types so the page does not bundle zod
export const DIRECTIONS = ["inbound", "outbound"] as const;
export const DISPOSITIONS: readonly CallDisposition[] = ["answered", "abandoned", "missed", "voicemail", "callback", "refused", "failed"];

/** The server's filter: the days are whole days in the tenant's zone, `to` included. */
export function toFilter(d: CallFilterDraft, timeZone: string): CallFilter {
  return {
    ...(d.from ? { from: dayStart(d.from, timeZone) } : {}),
    ...(d.to ? { to: dayStart(d.to, timeZone, 1) } : {}),
    ...(d.direction ? { direction: d.direction } : {}),
    ...(d.disposition ? { disposition: d.disposition } : {}),
    ...(d.agentId ? { agentId: d.agentId } : {}),
    ...(d.queueId ? { queueId: d.queueId } : {}),
    ...(d.number.trim() ? { number: d.number.trim() } : {}),
  };
}
