import type { DtmfDigit } from "../media/index.ts";

type Listener = (digit: string) => void;

/**
 * Routes rtpengine's DTMF events to whoever listens on a call for a party's keys (the IVR
 * asking the caller for a rating, a code, a menu choice). Keys nobody listens for are dropped.
 */
export class Keypad {
  private readonly listeners = new Map<string, Set<Listener>>();

  private static key(callId: string, tag: string): string {
    return `${callId}\u0000${tag}`;
  }

  /** Hears each key `tag` presses on `callId` from now on; answers a function that stops. */
  listen(callId: string, tag: string, listener: Listener): () => void {
    const key = Keypad.key(callId, tag);
    const set = this.listeners.get(key) ?? new Set();
    set.add(listener);
    this.listeners.set(key, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  /** The next key pressed within `timeoutMs`, or null; stops early with null when `signal` aborts. */
  next(callId: string, tag: string, timeoutMs: number, signal?: AbortSignal): Promise<string | null> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(null);
      const done = (digit: string | null) => {
        clearTimeout(timer);
        stop();
        signal?.removeEventListener("abort", aborted);
        resolve(digit);
      };
      const aborted = () => done(null);
      const timer = setTimeout(() => done(null), timeoutMs);
      const stop = this.listen(callId, tag, (digit) => done(digit));
      signal?.addEventListener("abort", aborted, { once: true });
    });
  }

  press(event: DtmfDigit): void {
    for (const listener of [...(this.listeners.get(Keypad.key(event.callId, event.sourceTag)) ?? [])]) listener(event.digit);
  }
}
