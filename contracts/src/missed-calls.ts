import { z } from "zod";
import { ZId, ZTimestamp } from "./common.ts";

/**
 * Missed calls and call-back requests (未接来电 / 回拨请求): a caller who hung up while queued or
 * ringing (`missed`), or who asked the IVR to be called back (`callback`), listed for the queue's
 * agents to call back. A caller's missed calls are one open entry per number (a repeat call while
 * it is open is one more attempt on it); each call-back request is its own entry, paired by id
 * with its work item. An agent claims it (calling back) so that nobody else calls too, then
 * marks it done with the outcome.
 */

export const MISSED_CALL_KINDS = ["missed", "callback"] as const;
export type MissedCallKind = (typeof MISSED_CALL_KINDS)[number];
/** open: nobody is calling back; claimed: an agent is; done: called back, with the outcome. */
export const MISSED_CALL_STATES = ["open", "claimed", "done"] as const;
export type MissedCallState = (typeof MISSED_CALL_STATES)[number];
export const CALLBACK_OUTCOMES = ["reached", "no_answer", "wrong_number", "handled"] as const;
export const ZCallbackOutcome = z.enum(CALLBACK_OUTCOMES);
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

const ZNamed = z.object({ id: ZId, name: z.string() });

export const ZMissedCall = z.object({
  id: ZId,
  kind: z.enum(MISSED_CALL_KINDS).describe("missed: hung up while queued or ringing; callback: asked the IVR to be called back"),
  state: z.enum(MISSED_CALL_STATES),
  number: z.string().describe("The caller's number, to call back"),
  contact: ZNamed.nullable().describe("The customer, when the caller was identified"),
  company: ZNamed.nullable(),
  queue: ZNamed.nullable(),
  firstAt: ZTimestamp.describe("The first attempt"),
  lastAt: ZTimestamp.describe("The latest attempt"),
  attempts: z.number().int().min(1).describe("Calls from this number while the entry was open"),
  waitedSeconds: z.number().int().min(0).describe("How long the caller waited on the latest attempt before hanging up"),
  lastCallId: ZId.describe("The latest attempt's call record"),
  workItemId: ZId.nullable().describe("A call-back request's work item (its place in the queue), finished with the entry; null for a missed call"),
  callbackTries: z.number().int().min(0).describe("A call-back's tries nobody answered so far (\"no answer\"); 0 for a missed call"),
  maxTries: z.number().int().min(1).nullable().describe("A call-back's tries at most (its queue's); the last unanswered finishes it"),
  retryAt: ZTimestamp.nullable().describe("A call-back tried without an answer: offered again from then"),
  claimedBy: ZNamed.nullable().describe("The agent calling back"),
  claimedAt: ZTimestamp.nullable(),
  doneAt: ZTimestamp.nullable(),
  doneBy: ZNamed.nullable(),
  outcome: ZCallbackOutcome.nullable(),
  note: z.string().nullable(),
  updatedAt: ZTimestamp,
});
export type MissedCall = z.infer<typeof ZMissedCall>;

export const ZMissedCallListQuery = z.object({
  queueId: ZId.optional().describe("Only this queue's"),
  state: z.enum(["open", "done"]).default("open").describe("open: waiting for a call-back (claimed or not), latest attempt first; done: called back, latest first"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type MissedCallListQuery = z.infer<typeof ZMissedCallListQuery>;

export const ZMissedCallParams = z.object({ missedCallId: ZId });

export const ZMissedCallDone = z.object({
  outcome: ZCallbackOutcome.describe("reached: spoke to the customer; no_answer: nobody answered; wrong_number: not the customer's number; handled: dealt with another way (no call needed)"),
  note: z.string().trim().max(1000).optional(),
});
export type MissedCallDone = z.infer<typeof ZMissedCallDone>;

/**
 * Voicemail and call-back work an agent holds (accepted from an offer, or by claiming the
 * call-back's missed-call entry): what the caller left, until the agent marks it done.
 */
export const ZCallerWork = z.object({
  workItemId: ZId,
  kind: z.enum(["voicemail", "callback"]),
  state: z.enum(["assigned", "waiting", "completed"]).describe("waiting: a call-back marked \"no answer\", back in its queue for its next try"),
  callbackTries: z.number().int().min(0).describe("A call-back's tries nobody answered so far"),
  maxTries: z.number().int().min(1).describe("A call-back's tries at most (its queue's)"),
  retryAt: ZTimestamp.nullable().describe("When a call-back nobody answered is offered again"),
  ticketId: ZId,
  ticketNumber: z.string(),
  queue: ZNamed,
  contact: ZNamed.nullable(),
  company: ZNamed.nullable(),
  callId: ZId,
  number: z.string().nullable().describe("The caller's number, to call back (null: withheld)"),
  at: ZTimestamp.describe("When the caller left the message or asked for the call-back"),
  recordingId: ZId.nullable().describe("The voicemail's recording (an attachment of the ticket)"),
  assignedAt: ZTimestamp.nullable(),
  completedAt: ZTimestamp.nullable(),
});
export type CallerWork = z.infer<typeof ZCallerWork>;
export const ZCallerWorkParams = z.object({ workItemId: ZId });
/** Finishing voicemail or call-back work: the outcome (and a note), as for a missed call. */
export const ZFinishCallerWork = ZMissedCallDone;
export type FinishCallerWork = MissedCallDone;
