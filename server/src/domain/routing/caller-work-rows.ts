import type { CallerWork } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import { iso, isoRequired } from "../shared/pagination.ts";

/** Voicemail and call-back items with what the console shows of them. */
export function selectCallerWork(db: Executor, tenantId: string) {
  return db
    .selectFrom("work_items as w")
    .innerJoin("tickets as t", "t.id", "w.ticket_id")
    .innerJoin("calls as c", "c.id", "w.call_id")
    .innerJoin("queues as q", "q.id", "w.queue_id")
    .leftJoin("contacts as ct", "ct.id", "t.contact_id")
    .leftJoin("companies as co", "co.id", "ct.company_id")
    .select([
      "w.id",
      "w.kind",
      "w.state",
      "w.assigned_to",
      "w.assigned_at",
      "w.completed_at",
      "w.callback_tries",
      "w.retry_at",
      "q.callback_max_tries",
      "t.id as ticket_id",
      "t.number as ticket_number",
      "q.id as queue_id",
      "q.name as queue_name",
      "ct.id as contact_id",
      "ct.name as contact_name",
      "co.id as company_id",
      "co.name as company_name",
      "c.id as call_id",
      "c.from_number",
      "c.started_at",
      "c.ended_at",
      "c.recording_id",
    ])
    .where("w.tenant_id", "=", tenantId)
    .where("w.kind", "in", ["voicemail", "callback"]);
}

type CallerWorkRow = Awaited<ReturnType<ReturnType<typeof selectCallerWork>["execute"]>>[number];

const named = (id: string | null, name: string | null) => (id && name !== null ? { id, name } : null);

export function presentCallerWork(r: CallerWorkRow): CallerWork {
  return {
    workItemId: r.id,
    kind: r.kind === "voicemail" ? "voicemail" : "callback",
    state: r.state === "completed" || r.state === "waiting" ? r.state : "assigned",
    callbackTries: r.callback_tries,
    maxTries: r.callback_max_tries,
    retryAt: r.state === "waiting" ? iso(r.retry_at) : null,
    ticketId: r.ticket_id,
    ticketNumber: r.ticket_number,
    queue: { id: r.queue_id, name: r.queue_name },
    contact: named(r.contact_id, r.contact_name),
    company: named(r.company_id, r.company_name),
    callId: r.call_id,
    number: r.from_number,
    at: isoRequired(r.ended_at ?? r.started_at),
    recordingId: r.recording_id,
    assignedAt: iso(r.assigned_at),
    completedAt: iso(r.completed_at),
  };
}
