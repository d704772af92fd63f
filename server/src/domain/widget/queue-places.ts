import { sql } from "kysely";
import type { Deps } from "../context.ts";

/** A queued visitor's place in their queue (1 = next). */
export interface QueuePlace {
  visitorId: string;
  conversationId: string;
  position: number;
}

/**
 * The places of a tenant's queued visitors, counted as the widget counts them (items of the same
 * queue waiting since before theirs, whatever the channel, + 1): one query.
 */
export async function queuedVisitorPlaces(deps: Deps, tenantId: string): Promise<QueuePlace[]> {
  const result = await sql<{ visitor_id: string; conversation_id: string; position: number }>`
    with waiting as (
      select w.conversation_id, rank() over (partition by w.queue_id order by w.enqueued_at) as position
      from work_items w
      where w.tenant_id = ${tenantId} and w.state in ('waiting', 'offered')
    )
    select v.id as visitor_id, c.id as conversation_id, waiting.position
    from waiting
    join conversations c on c.tenant_id = ${tenantId} and c.id = waiting.conversation_id and c.state = 'queued'
    join widget_visitors v on v.tenant_id = ${tenantId} and v.conversation_id = c.id`.execute(deps.db);
  return result.rows.map((r) => ({ visitorId: r.visitor_id, conversationId: r.conversation_id, position: Number(r.position) }));
}
