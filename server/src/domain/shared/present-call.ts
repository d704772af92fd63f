import type { Call } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import { iso, isoRequired } from "./pagination.ts";

// Call records as two areas read them (the call list and export in voice/, a ticket's timeline in
// tickets/): here, so that neither needs the other for it.

/** Call records of a tenant with their queue's and agent's names. */
export function selectCalls(db: Executor, tenantId: string) {
  return db
    .selectFrom("calls as c")
    .leftJoin("queues as q", "q.id", "c.queue_id")
    .leftJoin("users as u", "u.id", "c.agent_id")
    .selectAll("c")
    .select(["q.name as queue_name", "u.display_name as agent_name"])
    .where("c.tenant_id", "=", tenantId);
}

type CallRow = Awaited<ReturnType<ReturnType<typeof selectCalls>["execute"]>>[number];

const seconds = (from: Date | string | null, to: Date | string | null) =>
  from && to ? Math.max(0, Math.round((new Date(to).getTime() - new Date(from).getTime()) / 1000)) : null;

export function presentCall(r: CallRow): Call {
  const talk = seconds(r.answered_at, r.ended_at);
  return {
    id: r.id,
    conversationId: r.conversation_id,
    sipCallId: r.sip_call_id,
    direction: r.direction as Call["direction"],
    from: r.from_number,
    to: r.to_number,
    did: r.did,
    queue: r.queue_id && r.queue_name ? { id: r.queue_id, name: r.queue_name } : null,
    agent: r.agent_id && r.agent_name ? { id: r.agent_id, name: r.agent_name } : null,
    startedAt: isoRequired(r.started_at),
    ringingAt: iso(r.ringing_at),
    answeredAt: iso(r.answered_at),
    endedAt: iso(r.ended_at),
    waitSeconds: seconds(r.started_at, r.answered_at ?? r.ended_at),
    talkSeconds: talk === null ? null : Math.max(0, talk - r.hold_seconds),
    holdSeconds: r.hold_seconds,
    wrapUpSeconds: r.wrap_up_seconds,
    disposition: r.disposition as Call["disposition"],
    hangupSide: r.hangup_side as Call["hangupSide"],
    hangupCause: r.hangup_cause,
    recordingId: r.recording_id,
    rating: r.rating,
  };
}

/** Some calls of a tenant by id, presented (a ticket timeline's call entries). */
export async function loadCalls(db: Executor, tenantId: string, ids: readonly string[]): Promise<Map<string, Call>> {
  if (ids.length === 0) return new Map();
  const rows = await selectCalls(db, tenantId).where("c.id", "in", [...ids]).execute();
  return new Map(rows.map((r) => [r.id, presentCall(r)]));
}

