import { performance } from "node:perf_hooks";
import type { Deps } from "../domain/context.ts";
import { holdPusherLease, releasePusherLease, takeChangedTenants } from "../domain/metrics/pusher-lease.ts";
import { newId } from "../platform/ids.ts";

export interface PusherOptions {
  /** How often the change feed is read. */
  tickMs: number;
  /** Least time between two pushes for one tenant (a burst of changes becomes one push). */
  minGapMs: number;
  /** How long the lease lasts without renewal; it is renewed every `renewMs`. */
  leaseMs: number;
  renewMs: number;
}

const DEFAULTS: PusherOptions = { tickMs: 150, minGapMs: 400, leaseMs: 3000, renewMs: 1000 };

/**
 * Pushes live metrics after changes. Triggers on work_items, agent_presence, offers, queues and
 * queue_members append the changed tenant to `wallboard_changes` inside the writer's
 * transaction; this loop takes those rows every `tickMs` and calls `push(tenantId)`, at most
 * once per `minGapMs` per tenant. Only the process holding the lease runs it, so with several
 * processes each change is computed and emitted once (the Redis adapter carries the emit to
 * the others); when the holder dies another takes over after `leaseMs`.
 * Worst case from commit to emit: tickMs + minGapMs + the time to compute, well under a second.
 */
export function startWallboardPusher(deps: Deps, push: (tenantId: string) => Promise<void>, options: Partial<PusherOptions> = {}): { stop(): Promise<void> } {
  const o = { ...DEFAULTS, ...options };
  const holder = `${process.pid}-${newId()}`;
  // Scheduling uses the monotonic clock: it measures elapsed time, not business time.
  const elapsed = () => performance.now();
  let leader = false;
  let renewAt = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const pending = new Set<string>();
  const lastPush = new Map<string, number>();

  async function tick(): Promise<void> {
    const now = elapsed();
    if (now >= renewAt) {
      leader = await holdPusherLease(deps.db, holder, o.leaseMs);
      renewAt = now + o.renewMs;
      if (!leader) pending.clear();
    }
    if (!leader) return;
    for (const tenantId of await takeChangedTenants(deps.db)) pending.add(tenantId);
    for (const [tenantId, at] of lastPush) if (now - at >= o.minGapMs) lastPush.delete(tenantId);
    for (const tenantId of [...pending]) {
      if (stopped) return;
      if (lastPush.has(tenantId)) continue;
      pending.delete(tenantId);
      lastPush.set(tenantId, elapsed());
      await push(tenantId).catch((err: unknown) => deps.log.error({ err, tenantId }, "wallboard push failed"));
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        .catch((err: unknown) => deps.log.error({ err }, "wallboard pusher tick failed"))
        .finally(schedule);
    }, o.tickMs);
    timer.unref();
  };
  schedule();

  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      if (leader) await releasePusherLease(deps.db, holder).catch((err: unknown) => deps.log.warn({ err }, "releasing the wallboard lease failed"));
    },
  };
}
