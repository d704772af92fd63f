import { RAISE_PRIORITY, SERVICE_PACKS, TICKET_PRIORITIES, type SlaPolicy } from "@yixian/contracts";
import type { Row } from "../../db/schema.ts";
import { isoRequired } from "../shared/pagination.ts";

export function presentSlaPolicy(row: Row<"sla_policies">): SlaPolicy {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    isDefault: row.is_default,
    match: {
      priorities: TICKET_PRIORITIES.filter((p) => row.priorities.includes(p)),
      servicePacks: SERVICE_PACKS.filter((p) => row.service_packs.includes(p)),
    },
    calendarId: row.calendar_id,
    targets: {
      firstResponseMinutes: row.first_response_minutes,
      nextResponseMinutes: row.next_response_minutes,
      resolutionMinutes: row.resolution_minutes,
    },
    warnFraction: row.warn_fraction,
    pauseWhenPending: row.pause_when_pending,
    escalation: {
      notifySupervisors: row.notify_supervisors,
      raisePriority: RAISE_PRIORITY.find((p) => p === row.raise_priority) ?? null,
      moveToQueueId: row.move_to_queue_id,
    },
    createdAt: isoRequired(row.created_at),
    updatedAt: isoRequired(row.updated_at),
  };
}
