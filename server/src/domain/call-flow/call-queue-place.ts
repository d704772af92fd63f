import { sql } from "kysely";
import type { Deps } from "../context.ts";

/** A waiting caller's place: 1 = next; the expected wait in seconds, null when the queue has no history to tell. */
export interface CallQueuePlace {
  position: number;
  expectedWaitSeconds: number | null;
}

/** Handle times of the queue's items completed within this window make its expected wait. */
const HISTORY_HOURS = 24;

/**
 * Where a waiting call is in its queue now, as routing takes items (priority, then time queued):
 * the items of the queue still waiting or ringing ahead of it, + 1. The expected wait is the
 * position × the queue's average handle time over the last day ÷ its members signed in (at least
 * one). Null when the call's item is not waiting (ringing an agent, or not queued).
 */
export async function callQueuePlace(deps: Deps, tenantId: string, conversationId: string): Promise<CallQueuePlace | null> {
  const result = await sql<{ position: number; aht: number | null; staffed: number }>`
    with mine as (
      select id, queue_id, priority, enqueued_at from work_items
      where tenant_id = ${tenantId} and conversation_id = ${conversationId} and state = 'waiting'
      order by created_at desc limit 1
    )
    select
      (select count(*)::int from work_items w
        where w.tenant_id = ${tenantId} and w.queue_id = mine.queue_id and w.state in ('waiting', 'offered') and w.id <> mine.id
          and (w.priority > mine.priority or (w.priority = mine.priority and (w.enqueued_at < mine.enqueued_at or (w.enqueued_at = mine.enqueued_at and w.id < mine.id))))
      ) + 1 as position,
      (select avg(extract(epoch from (w.completed_at - w.assigned_at)))::float8 from work_items w
        where w.tenant_id = ${tenantId} and w.queue_id = mine.queue_id and w.state = 'completed' and w.assigned_at is not null
          and w.completed_at > ${deps.clock.now()}::timestamptz - make_interval(hours => ${HISTORY_HOURS})
      ) as aht,
      -- each member's presence by its primary key: a plan that cannot turn into members × presences
      -- (it did, 40 ms for 500 agents, on tables the planner had no statistics for yet)
      (select count(*)::int from queue_members m
        where m.tenant_id = ${tenantId} and m.queue_id = mine.queue_id
          and exists (select 1 from agent_presence p where p.user_id = m.user_id and p.state in ('available', 'busy', 'wrap_up'))
      ) as staffed
    from mine`.execute(deps.db);
  const row = result.rows[0];
  if (!row) return null;
  const position = Number(row.position);
  const aht = row.aht === null ? null : Number(row.aht);
  return { position, expectedWaitSeconds: aht === null ? null : Math.round((position * aht) / Math.max(1, Number(row.staffed))) };
}
