/** RFC 3261 §17 timer values (Table 4); T1, T2 and T4 configurable, the others derived from them. */
export interface TimerConfig {
  /** RTT estimate, default 500 ms. */
  t1: number;
  /** Longest retransmit interval for non-INVITE requests and INVITE responses, default 4 s. */
  t2: number;
  /** Longest time a message stays in the network, default 5 s. */
  t4: number;
}

export const DEFAULT_TIMERS: TimerConfig = { t1: 500, t2: 4000, t4: 5000 };

/** Timers B, F, H, J, L, M: 64·T1. */
export const transactionTimeout = (t: TimerConfig): number => 64 * t.t1;

/** Timer D: at least 32 s over UDP, 0 over a reliable transport. */
export const timerD = (t: TimerConfig, reliable: boolean): number => (reliable ? 0 : Math.max(32_000, 64 * t.t1));

/** Named timers of one transaction; all unref'd, all cleared together. */
export class TimerSet {
  private readonly handles = new Map<string, NodeJS.Timeout>();

  start(name: string, ms: number, fire: () => void): void {
    this.stop(name);
    const handle = setTimeout(() => {
      this.handles.delete(name);
      fire();
    }, ms);
    handle.unref();
    this.handles.set(name, handle);
  }

  stop(name: string): void {
    const handle = this.handles.get(name);
    if (handle) clearTimeout(handle);
    this.handles.delete(name);
  }

  stopAll(): void {
    for (const handle of this.handles.values()) clearTimeout(handle);
    this.handles.clear();
  }
}
