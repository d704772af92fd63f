/**
 * What happens to a message the server did not take. A temporary refusal (too many messages,
 * a server error, no answer in time, no connection) is tried again after 2 s, 4 s, 8 s … up to
 * 30 s apart, with the same clientId, so the server stores it once however often it goes. A
 * permanent one (invalid, the chat has ended, a file that is gone) is shown as failed with its
 * reason and is not sent again. Pure: the client keeps the state and the timer.
 */

/** Codes the widget itself gives a send that got no answer. */
export const TIMEOUT = "TIMEOUT";
export const DISCONNECTED = "DISCONNECTED";

const TEMPORARY = new Set(["RATE_LIMITED", "INTERNAL", "SERVICE_UNAVAILABLE", TIMEOUT, DISCONNECTED]);

export const RETRY_FIRST_MS = 2000;
export const RETRY_MAX_MS = 30_000;

export interface SendFailure {
  code: string;
  message: string;
}

/**
 * How a visitor's unsent message stands. retrying: `retryAt` is when it goes again (null: when
 * the connection is back); failed: the server will never take it.
 */
export type Delivery = { state: "retrying"; attempt: number; retryAt: number | null; code: string } | { state: "failed"; code: string; message: string };

export function isTemporary(code: string): boolean {
  return TEMPORARY.has(code);
}

/** 2 s, 4 s, 8 s, 16 s, then 30 s for every later attempt (attempt 1 is the first retry). */
export function retryDelayMs(attempt: number): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(n - 1, 20));
}

/**
 * The state after a send failed at `now`, given how many sends of it had failed before. No
 * connection is not an attempt: the message waits for the reconnect, which sends it.
 */
export function afterFailure(failedBefore: number, failure: SendFailure, now: number): Delivery {
  if (!isTemporary(failure.code)) return { state: "failed", code: failure.code, message: failure.message };
  if (failure.code === DISCONNECTED) return { state: "retrying", attempt: failedBefore, retryAt: null, code: failure.code };
  const attempt = failedBefore + 1;
  return { state: "retrying", attempt, retryAt: now + retryDelayMs(attempt), code: failure.code };
}

/** Whole seconds until the next attempt, as "retrying in N s" shows them (never below 1). */
export function secondsUntil(retryAt: number, now: number): number {
  return Math.max(1, Math.ceil((retryAt - now) / 1000));
}

/** Whether a message may go now: not failed for good, and its wait (if any) is over. */
export function isDue(delivery: Delivery | undefined, now: number): boolean {
  if (!delivery) return true;
  if (delivery.state === "failed") return false;
  return delivery.retryAt === null || delivery.retryAt <= now;
}

/** The earliest time a waiting message goes again, or null when none waits on a timer. */
export function nextRetryAt(deliveries: Readonly<Record<string, Delivery>>): number | null {
  let next: number | null = null;
  for (const d of Object.values(deliveries)) {
    if (d.state === "retrying" && d.retryAt !== null && (next === null || d.retryAt < next)) next = d.retryAt;
  }
  return next;
}
