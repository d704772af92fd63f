import { sql } from "kysely";
import type { Deps } from "../domain/context.ts";

/** What a queued web chat visitor hears when their place moves. */
export interface PositionUpdate {
  visitorId: string;
  conversationId: string;
  position: number;
}

/**
 * The places of a tenant's queued web chat visitors, counted as the widget counts them (items of
 * the same queue waiting since before theirs, whatever the channel, + 1): one query.
 */
async function queuedVisitors(deps: Deps, tenantId: string): Promise<PositionUpdate[]> {
  const result = await sql<{ visitor_id: string; conversation_id: string; position: number }>`
    with waiting as (
      select w.conversation_id, rank() over (partition by w.queue_id order by w.enqueued_at) as position
      from work_items w
      where w.tenant_id = ${tenantId} and w.state in ('waiting', 'offered')
    )
    select v.id as visitor_id, c.id as conversation_id, waiting.position
    from waiting
    join conversations c on c.tenant_id = ${tenantId} and c.id = waiting.conversation_id and c.channel = 'webchat' and c.state = 'queued'
    join widget_visitors v on v.tenant_id = ${tenantId} and v.conversation_id = c.id`.execute(deps.db);
  return result.rows.map((r) => ({ visitorId: r.visitor_id, conversationId: r.conversation_id, position: Number(r.position) }));
}

/** Coalesce a burst of queue changes of one tenant into one look-up. */
const COALESCE_MS = 250;

/**
 * Tells queued visitors their new place after a tenant's queues moved (a conversation was
 * accepted, ended or transferred). Bursts are coalesced per tenant; a visitor hears a place only
 * when it differs from what this node last told them.
 */
export class QueuePositions {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly told = new Map<string, number>();

  constructor(
    private readonly deps: Deps,
    private readonly send: (update: PositionUpdate) => void,
  ) {}

  changed(tenantId: string): void {
    if (this.pending.has(tenantId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(tenantId);
      queuedVisitors(this.deps, tenantId).then(
        (updates) => {
          for (const u of updates) {
            if (this.told.get(u.conversationId) === u.position) continue;
            if (this.told.size > 50_000) this.told.clear();
            this.told.set(u.conversationId, u.position);
            this.send(u);
          }
        },
        (err: unknown) => this.deps.log.error({ err, tenantId }, "telling queued visitors their place failed"),
      );
    }, COALESCE_MS);
    timer.unref();
    this.pending.set(tenantId, timer);
  }

  stop(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
