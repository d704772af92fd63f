import type { DtmfDigit, DtmfListener, MediaServer } from "../../media/index.ts";

/**
 * One caller on one rtpengine call, as the IVR scripts and the call controller use it: prompts
 * and music played to the caller (every other party of the call blocked meanwhile, so the caller
 * never hears a prompt mixed with an agent), and the keys the caller presses (rtpengine's DTMF
 * events for this call and the caller's tag).
 *
 * Keys: a key that no one is waiting for is kept for the next `nextKey`; a prompt starts by
 * dropping the keys kept before it (they answered whatever came before). One thing plays at a
 * time: starting a prompt or music ends the one playing, and waits until rtpengine has stopped it.
 * When `hungUp` aborts, everything resolves at once (`play` with no key, `nextKey` with null,
 * `loop` returns), the playback is stopped and no timer is left.
 */
export interface CallerLine {
  readonly callId: string;
  readonly callerTag: string;
  /**
   * Plays a file and resolves when it has been heard, or with the key among `interruptKeys` that
   * stopped it, or (key null) when `signal` or `hungUp` aborts.
   */
  play(file: string, opts?: { interruptKeys?: string; signal?: AbortSignal }): Promise<{ key: string | null }>;
  /** Music on a loop until `signal` (or `hungUp`) aborts. */
  loop(file: string, signal: AbortSignal): Promise<void>;
  /** The next key the caller presses, or null after `timeoutMs` (Infinity: never) or when `signal`/`hungUp` aborts. */
  nextKey(opts: { timeoutMs: number; signal?: AbortSignal }): Promise<string | null>;
  /**
   * Aborted when the caller leaves (the call controller aborts it however the call ends: until
   * then the line listens for the call's keys).
   */
  readonly hungUp: AbortSignal;
}

/** Every key of a phone's keypad. */
export const ALL_KEYS = "0123456789*#";

/** rtpengine has no "forever": 10,000 times the 16 s music on hold is 44 hours. */
const LOOP_REPEATS = 10_000;

interface KeyWaiter {
  accepts(key: string): boolean;
  resolve(key: string | null): void;
}

type Heard = { end: "heard" } | { end: "aborted" } | { end: "key"; key: string };

interface Playback {
  stop: AbortController;
  done: Promise<void>;
}

/** Calls `fn` once, when the first of the signals aborts; the function returned forgets it. */
function onAnyAbort(signals: (AbortSignal | undefined)[], fn: () => void): () => void {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.some((s) => s.aborted)) {
    fn();
    return () => undefined;
  }
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    forget();
    fn();
  };
  const forget = () => present.forEach((s) => s.removeEventListener("abort", once));
  present.forEach((s) => s.addEventListener("abort", once, { once: true }));
  return forget;
}

class Line implements CallerLine {
  private kept: string[] = [];
  private waiters: KeyWaiter[] = [];
  private current: Playback | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly media: MediaServer,
    dtmf: DtmfListener,
    readonly callId: string,
    readonly callerTag: string,
    readonly hungUp: AbortSignal,
  ) {
    this.unsubscribe = dtmf.subscribe((digit) => this.received(digit));
    onAnyAbort([hungUp], () => this.leave());
  }

  private received(digit: DtmfDigit): void {
    if (digit.callId !== this.callId || digit.sourceTag !== this.callerTag || this.hungUp.aborted) return;
    const waiter = this.waiters.find((w) => w.accepts(digit.digit));
    if (waiter) waiter.resolve(digit.digit);
    else this.kept.push(digit.digit);
  }

  private leave(): void {
    this.unsubscribe();
    this.kept = [];
    for (const waiter of [...this.waiters]) waiter.resolve(null);
    this.current?.stop.abort();
  }

  /** A key among those `accepts` takes, unless one of the signals aborts first (then null). */
  private waitForKey(accepts: (key: string) => boolean, signals: (AbortSignal | undefined)[], timeoutMs?: number): { key: Promise<string | null>; cancel(): void } {
    let settle!: (key: string | null) => void;
    const key = new Promise<string | null>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let forget = () => undefined as void;
      const waiter: KeyWaiter = {
        accepts,
        resolve: (k) => {
          clearTimeout(timer);
          forget();
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(k);
        },
      };
      settle = waiter.resolve;
      this.waiters.push(waiter);
      if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) timer = setTimeout(() => waiter.resolve(null), timeoutMs);
      forget = onAnyAbort([this.hungUp, ...signals], () => waiter.resolve(null));
    });
    return { key, cancel: () => settle(null) };
  }

  async nextKey(opts: { timeoutMs: number; signal?: AbortSignal }): Promise<string | null> {
    if (this.hungUp.aborted || opts.signal?.aborted) return null;
    const kept = this.kept.shift();
    if (kept !== undefined) return kept;
    return this.waitForKey(() => true, [opts.signal], opts.timeoutMs).key;
  }

  async play(file: string, opts: { interruptKeys?: string; signal?: AbortSignal } = {}): Promise<{ key: string | null }> {
    return { key: await this.playback(file, 1, opts.signal, opts.interruptKeys ?? "") };
  }

  async loop(file: string, signal: AbortSignal): Promise<void> {
    await this.playback(file, LOOP_REPEATS, signal, "");
  }

  /**
   * Plays `file` `repeat` times to the caller with the other parties blocked. A single play ends
   * after its length; a loop only when aborted. Resolves with the interrupting key, if any.
   */
  private async playback(file: string, repeat: number, signal: AbortSignal | undefined, interruptKeys: string): Promise<string | null> {
    const stop = new AbortController();
    let finished!: () => void;
    const mine: Playback = { stop, done: new Promise<void>((resolve) => (finished = resolve)) };
    const previous = this.current;
    this.current = mine;
    try {
      if (previous) {
        previous.stop.abort();
        await previous.done;
      }
      if (this.hungUp.aborted || signal?.aborted || stop.signal.aborted) return null;
      if (repeat === 1) this.kept = [];
      // listening for the keys before asking rtpengine, so a key pressed at once is not missed
      const key = interruptKeys ? this.waitForKey((k) => interruptKeys.includes(k), [signal, stop.signal]) : null;
      let blocked: string[] = [];
      try {
        blocked = await this.media.blockAllBut(this.callId, this.callerTag);
        const lengthMs = await this.media.play(this.callId, this.callerTag, file, repeat);
        const heard = await this.until(repeat === 1 ? lengthMs : null, key?.key ?? null, [signal, stop.signal]);
        if (heard.end !== "heard") await this.quietly(() => this.media.stopPlaying(this.callId, this.callerTag));
        return heard.end === "key" ? heard.key : null;
      } catch (err) {
        if (this.hungUp.aborted) return null;
        throw err;
      } finally {
        key?.cancel();
        await this.quietly(() => this.media.unblockParties(this.callId, blocked));
      }
    } finally {
      finished();
      if (this.current === mine) this.current = null;
    }
  }

  /** How a playback ended: heard to the end (never for a loop), a key, or aborted. */
  private until(lengthMs: number | null, key: Promise<string | null> | null, signals: (AbortSignal | undefined)[]): Promise<Heard> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let forget = () => undefined as void;
      const settle = (outcome: Heard) => {
        clearTimeout(timer);
        forget();
        resolve(outcome);
      };
      if (lengthMs !== null) timer = setTimeout(() => settle({ end: "heard" }), lengthMs);
      forget = onAnyAbort([this.hungUp, ...signals], () => settle({ end: "aborted" }));
      void key?.then((k) => k !== null && settle({ end: "key", key: k }));
    });
  }

  /** rtpengine calls after the caller left may find the call gone: only then are errors ignored. */
  private async quietly(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (err) {
      if (!this.hungUp.aborted) throw err;
    }
  }
}

/** The caller `callerTag` on the rtpengine call `callId`; `hungUp` ends everything it does. */
export function createCallerLine(media: MediaServer, dtmf: DtmfListener, callId: string, callerTag: string, hungUp: AbortSignal): CallerLine {
  return new Line(media, dtmf, callId, callerTag, hungUp);
}
