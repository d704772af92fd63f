import type { QueueConfig, WorkItemSnapshot } from "./types.ts";

/**
 * Serving order within a queue: VIP items first when the queue says so, then higher priority,
 * then first come first served. Equal items keep their input order.
 */
export function compareItems(a: WorkItemSnapshot, b: WorkItemSnapshot, queue: QueueConfig): number {
  if (queue.vipFirst && a.vip !== b.vip) return a.vip ? -1 : 1;
  if (a.priority !== b.priority) return b.priority - a.priority;
  return a.enqueuedAt - b.enqueuedAt;
}

/** The items in the order they are served (a new array; the input is left as it is). */
export function orderItems(items: readonly WorkItemSnapshot[], queue: QueueConfig): WorkItemSnapshot[] {
  return [...items].sort((a, b) => compareItems(a, b, queue));
}
