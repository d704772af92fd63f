import type { Deps } from "../context.ts";
import { endWrapUps } from "../presence/end-wrap-ups.ts";
import { expireOffers } from "./expire-offers.ts";
import { overflowLongWaits } from "./overflow.ts";
import { routeWaiting } from "./route-waiting.ts";

/**
 * The dispatcher of one server process. `kick()` runs a pass soon (coalescing kicks that come
 * while one runs); a timer kicks every `pollMs` as a safety net and for time-driven work
 * (offers expiring, wrap-up ending, maximum wait, the returning-customer window). All state is
 * in the database, so several processes may run one each and a restart loses nothing.
 */
export class Dispatcher {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: Deps) {}

  start(pollMs: number): void {
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
    this.kick();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .then((more) => {
        if (more) this.again = true;
      })
      .catch((err: unknown) => this.deps.log.error({ err }, "routing pass failed; will retry"))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves when no pass is running or asked for. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops the timer and waits for the pass under way to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.again = false;
    await this.idle();
  }

  private async pass(): Promise<boolean> {
    await expireOffers(this.deps);
    await endWrapUps(this.deps);
    await overflowLongWaits(this.deps);
    return routeWaiting(this.deps);
  }
}

const dispatchers = new WeakMap<Deps, Dispatcher>();

/** Starts routing for this process (once per deps); stop it before the database closes. */
export function startRouting(deps: Deps, pollMs = 1000): Dispatcher {
  const existing = dispatchers.get(deps);
  if (existing) return existing;
  const dispatcher = new Dispatcher(deps);
  dispatchers.set(deps, dispatcher);
  dispatcher.start(pollMs);
  return dispatcher;
}

/** Asks this process's dispatcher for a pass: call after committing anything that can change routing. */
export function kickRouting(deps: Deps): void {
  dispatchers.get(deps)?.kick();
}

/** This process's dispatcher, if routing runs here. */
export function dispatcherOf(deps: Deps): Dispatcher | undefined {
  return dispatchers.get(deps);
}
