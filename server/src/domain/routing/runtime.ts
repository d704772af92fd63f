import { performance } from "node:perf_hooks";
import type { Deps, RoutingPort } from "../context.ts";
import { endWrapUps } from "../presence/end-wrap-ups.ts";
import { claimConversationWork } from "./assign-work.ts";
import { enqueueWork } from "./enqueue-work.ts";
import { expireOffers } from "./expire-offers.ts";
import { finishConversationWork } from "./finish-work.ts";
import { overflowLongWaits } from "./overflow.ts";
import { checkPickUp } from "./pick-up.ts";
import { routeWaiting } from "./route-waiting.ts";
import { withdrawAgentOffers } from "./withdraw-offers.ts";

/** The least time between two runs of the dispatcher's time-driven work. */
const CHORES_MS = 200;

/**
 * The dispatcher of one server process, and the routing port the rest of the domain is given as
 * `deps.routing`. `kick()` runs a pass soon (coalescing kicks that come while one runs); a timer
 * kicks every `pollMs` as a safety net and for time-driven work (offers expiring, wrap-up ending,
 * maximum wait, the returning-customer window). All state is in the database, so several
 * processes may run one each and a restart loses nothing. Until `start`, kicks do nothing.
 */
export class Dispatcher implements RoutingPort {
  private deps: Deps | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  /** When the time-driven work last ran (performance.now()). */
  private lastChores = -Infinity;

  readonly enqueue = enqueueWork;
  readonly checkPickUp = checkPickUp;
  readonly claimConversation = claimConversationWork;
  readonly finishConversation = finishConversationWork;

  readonly withdrawAgentOffers = withdrawAgentOffers;

  /** Starts routing for this process (once); stop it before the database closes. */
  start(deps: Deps, pollMs = 1000): void {
    if (this.deps) return;
    this.deps = deps;
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
    this.kick();
  }

  kick(): void {
    const deps = this.deps;
    if (this.stopped || !deps) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass(deps)
      .then((more) => {
        if (more) this.again = true;
      })
      .catch((err: unknown) => deps.log.error({ err }, "routing pass failed; will retry"))
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

  /**
   * A pass routes what waits; the time-driven work (offers expiring, wrap-up ending, maximum wait)
   * goes with it at most every CHORES_MS: under a steady flow of calls kicks come back to back,
   * and three more statements a pass were a tenth of a call's cost (decision 0022).
   */
  private async pass(deps: Deps): Promise<boolean> {
    const now = performance.now();
    if (now - this.lastChores >= CHORES_MS) {
      this.lastChores = now;
      await expireOffers(deps);
      await endWrapUps(deps);
      await overflowLongWaits(deps);
    }
    return routeWaiting(deps);
  }
}
