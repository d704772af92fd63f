import { queuedVisitorPlaces, type Deps, type QueuePlace } from "@yixian/server/domain";

/** What a queued web chat visitor hears when their place moves. */
export type PositionUpdate = QueuePlace;

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
      queuedVisitorPlaces(this.deps, tenantId).then(
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
