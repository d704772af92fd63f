import type { CallDisposition } from "@yixian/contracts";
import { sql } from "kysely";
import type { Executor, Tx } from "../../db/database.ts";
import { newId } from "../../platform/ids.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { notFound } from "../errors.ts";
import { callOnTimeline } from "./call-timeline.ts";
import { noteMissedCall } from "./missed-calls/note-missed-call.ts";

/**
 * Call detail records, written by the call layer as a call moves: opened when the INVITE
 * arrives (or the agent dials), then one event at a time. Each event is one UPDATE that only
 * moves the record forward (a repeated or late event changes nothing), so the call layer may
 * report from any node and retry freely.
 */
export interface OpenCall {
  sipCallId: string;
  direction: "inbound" | "outbound";
  from: string | null;
  to: string | null;
  did?: string | null;
  trunkId?: string | null;
  conversationId?: string | null;
  agentId?: string | null;
  /** The node that handles the call (its dialogs and media live there). */
  nodeId?: string | null;
}

export type CallEvent =
  | { type: "queued"; queueId: string }
  | { type: "ringing"; agentId: string }
  | { type: "answered"; agentId?: string }
  | { type: "held" }
  | { type: "resumed" }
  | { type: "ended"; side: "caller" | "agent" | "system"; cause?: string; disposition?: CallDisposition }
  | { type: "wrapped-up" }
  | { type: "recorded"; attachmentId: string }
  | { type: "rated"; score: number };

/** Opens the record (once: a retried INVITE finds the one it opened) and returns its id. */
export async function openCallRecord(ctx: Ctx, call: OpenCall): Promise<string> {
  const now = ctx.deps.clock.now();
  const inserted = await ctx.deps.db
    .insertInto("calls")
    .values({
      id: newId(now.getTime()),
      tenant_id: ctx.tenantId,
      sip_call_id: call.sipCallId,
      direction: call.direction,
      from_number: call.from,
      to_number: call.to,
      did: call.did ?? null,
      trunk_id: call.trunkId ?? null,
      conversation_id: call.conversationId ?? null,
      agent_id: call.agentId ?? null,
      node_id: call.nodeId ?? null,
      started_at: now,
    })
    .onConflict((oc) => oc.columns(["tenant_id", "sip_call_id", "direction"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) return inserted.id;
  const existing = await ctx.deps.db
    .selectFrom("calls")
    .select("id")
    .where("tenant_id", "=", ctx.tenantId)
    .where("sip_call_id", "=", call.sipCallId)
    .where("direction", "=", call.direction)
    .executeTakeFirstOrThrow();
  return existing.id;
}

/** What the ticket's timeline shows of a call: it ended, its recording arrived, the caller rated it. */
const ON_TIMELINE: ReadonlySet<CallEvent["type"]> = new Set(["ended", "recorded", "rated"]);

/**
 * Applies one event; false when it changed nothing (repeated, late, or out of order). When the
 * call ends (or its recording or rating arrives) it is put on its ticket's timeline, once.
 */
export async function recordCallEvent(ctx: Ctx, callId: string, event: CallEvent): Promise<boolean> {
  // an event the timeline does not show is one UPDATE: no transaction around it
  const changed = ON_TIMELINE.has(event.type)
    ? await inTransaction(ctx, (tx) => recordCallEventTx(tx, ctx, callId, event))
    : (await eventUpdate(ctx.deps.db, ctx, callId, event).executeTakeFirst()).numUpdatedRows > 0n;
  if (!changed) await assertCallExists(ctx, callId);
  return changed;
}

/** recordCallEvent's writes in the caller's transaction; false when the event changed nothing (see `assertCallExists`). */
export async function recordCallEventTx(tx: Tx, ctx: Ctx, callId: string, event: CallEvent): Promise<boolean> {
  const result = await eventUpdate(tx, ctx, callId, event).executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  if (ON_TIMELINE.has(event.type)) await callOnTimeline(tx, ctx, callId);
  // a caller who hung up waiting (or asked for a call-back) is listed to be called back
  if (event.type === "ended") await noteMissedCall(tx, ctx, callId);
  return true;
}

/** An event that changed nothing was repeated or late, unless there is no such call: NOT_FOUND. */
export async function assertCallExists(ctx: Ctx, callId: string): Promise<void> {
  const exists = await ctx.deps.db.selectFrom("calls").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", callId).executeTakeFirst();
  if (!exists) throw notFound("call");
}

/** The one UPDATE an event is: it moves the record only forward. */
function eventUpdate(db: Executor, ctx: Ctx, callId: string, event: CallEvent) {
  const now = ctx.deps.clock.now();
  let q = db.updateTable("calls").where("tenant_id", "=", ctx.tenantId).where("id", "=", callId);
  switch (event.type) {
    case "queued":
      q = q.set({ queue_id: event.queueId, queued_at: sql`coalesce(queued_at, ${now})` }).where("ended_at", "is", null);
      break;
    case "ringing":
      q = q.set({ agent_id: event.agentId, ringing_at: sql`coalesce(ringing_at, ${now})` }).where("answered_at", "is", null).where("ended_at", "is", null);
      break;
    case "answered":
      q = q.set({ answered_at: now, ...(event.agentId ? { agent_id: event.agentId } : {}) }).where("answered_at", "is", null).where("ended_at", "is", null);
      break;
    case "held":
      q = q.set({ held_since: now }).where("held_since", "is", null).where("answered_at", "is not", null).where("ended_at", "is", null);
      break;
    case "resumed":
      q = q
        .set({ hold_seconds: sql`hold_seconds + greatest(0, round(extract(epoch from (${now}::timestamptz - held_since))))::int`, held_since: null })
        .where("held_since", "is not", null);
      break;
    case "ended": {
      const disposition = event.disposition
        ? sql<string>`${event.disposition}`
        : sql<string>`case when answered_at is not null then 'answered' when ${event.side} = 'caller' and (queued_at is not null or ringing_at is not null) then 'abandoned' else 'missed' end`;
      q = q
        .set({
          ended_at: now,
          disposition,
          hangup_side: event.side,
          hangup_cause: event.cause ?? null,
          hold_seconds: sql`hold_seconds + coalesce(greatest(0, round(extract(epoch from (${now}::timestamptz - held_since))))::int, 0)`,
          held_since: null,
        })
        .where("ended_at", "is", null);
      break;
    }
    case "wrapped-up":
      q = q.set({ wrap_up_seconds: sql`greatest(0, round(extract(epoch from (${now}::timestamptz - ended_at))))::int` }).where("ended_at", "is not", null).where("wrap_up_seconds", "is", null);
      break;
    case "recorded":
      q = q.set({ recording_id: event.attachmentId });
      break;
    case "rated":
      q = q.set({ rating: event.score }).where("rating", "is", null);
      break;
  }
  return q;
}
