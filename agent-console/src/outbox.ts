import type { QueryClient } from "@tanstack/react-query";
import type { Attachment, Message } from "@yixian/contracts";
import { useSyncExternalStore } from "react";
import { ApiError } from "./api.ts";
import { api } from "./client.ts";
import { queryKeys } from "./keys.ts";

/**
 * The agent's replies and notes that the server has not stored yet. A reply leaves the composer
 * at once and waits here, shown as "sending…" after the stored messages, until the server has it;
 * each carries its own clientId, so however often it is sent again (after a dropped connection,
 * a server restart, a lost response) it is stored once. Sends go one at a time, in the order
 * written, so the customer reads them in that order. A refusal (the conversation ended, the text
 * is invalid…) marks the reply "not sent" for the agent to retry or discard; anything else is
 * sent again on reconnect, when the browser is back online, and on a backoff timer.
 */

export type PendingState = "sending" | "failed";

export interface PendingReply {
  clientId: string;
  conversationId: string;
  text: string;
  direction: "outbound" | "internal";
  attachments: Attachment[];
  createdAt: string;
  state: PendingState;
  /** Why the server refused it (state "failed"). */
  error: string | null;
}

export type NewReply = Pick<PendingReply, "conversationId" | "text" | "direction" | "attachments">;

/** A send that did not answer in this time is sent again (the server keeps one of them). */
const SEND_TIMEOUT_MS = 20_000;
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 15_000;

/** The conversation's pending replies that the server has not stored yet (by clientId), in the order written. */
export function unsent(pending: readonly PendingReply[], conversationId: string, stored: readonly Pick<Message, "clientId">[]): PendingReply[] {
  const have = new Set(stored.map((m) => m.clientId).filter((c): c is string => c !== null));
  return pending.filter((p) => p.conversationId === conversationId && !have.has(p.clientId));
}

/** Whether sending the same reply again may work: a network failure, a timeout, a 5xx, 408 or 429; a 4xx refusal will not change. */
export function isTransient(err: unknown): boolean {
  if (err instanceof ApiError) return err.status >= 500 || err.status === 408 || err.status === 429;
  return true;
}

/** The next wait before sending again: doubling from 1 s up to 15 s. */
export function nextDelay(previous: number): number {
  return previous <= 0 ? RETRY_MIN_MS : Math.min(previous * 2, RETRY_MAX_MS);
}

/** The cached list with the stored message in it once (by id), in seq order. */
export function withStored(items: readonly Message[], message: Message): Message[] {
  return [...items.filter((m) => m.id !== message.id), message].sort((a, b) => a.seq - b.seq);
}

function timeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

type MessagesPage = { items: Message[]; nextAfterSeq: number | null };

export class ReplyOutbox {
  private items: PendingReply[] = [];
  private readonly listeners = new Set<() => void>();
  private client: QueryClient | null = null;
  private flushing = false;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private delay = 0;

  /** The query cache to put stored replies in (the signed-in console's). */
  attach(client: QueryClient): void {
    this.client = client;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): readonly PendingReply[] => this.items;

  private set(items: PendingReply[]): void {
    this.items = items;
    for (const l of this.listeners) l();
  }

  /** Queues a reply and sends it (after any written before it). */
  enqueue(reply: NewReply): PendingReply {
    const pending: PendingReply = { ...reply, clientId: crypto.randomUUID(), createdAt: new Date().toISOString(), state: "sending", error: null };
    this.set([...this.items, pending]);
    void this.flush();
    return pending;
  }

  /** The agent asks for a refused reply to go again. */
  retry(clientId: string): void {
    this.set(this.items.map((p) => (p.clientId === clientId ? { ...p, state: "sending", error: null } : p)));
    void this.flush();
  }

  discard(clientId: string): void {
    this.set(this.items.filter((p) => p.clientId !== clientId));
  }

  /** Drops everything (signing out: another agent must not send these). */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.set([]);
  }

  /** Sends what waits, now (the connection is back). */
  resume(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.delay = 0;
    void this.flush();
  }

  private schedule(): void {
    if (this.timer) return;
    this.delay = nextDelay(this.delay);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.delay);
  }

  async flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return;
    }
    this.flushing = true;
    try {
      do {
        this.again = false;
        for (;;) {
          const next = this.items.find((p) => p.state === "sending");
          if (!next) break;
          try {
            const stored = await timeout(
              api.conversations.post(next.conversationId, {
                text: next.text,
                direction: next.direction,
                attachmentIds: next.attachments.map((a) => a.id),
                clientId: next.clientId,
              }),
              SEND_TIMEOUT_MS,
            );
            this.delay = 0;
            this.stored(next, stored);
          } catch (err) {
            if (isTransient(err)) {
              this.schedule();
              return;
            }
            const message = err instanceof Error ? err.message : String(err);
            this.set(this.items.map((p) => (p.clientId === next.clientId ? { ...p, state: "failed", error: message } : p)));
          }
        }
      } while (this.again);
    } finally {
      this.flushing = false;
    }
  }

  private stored(pending: PendingReply, message: Message): void {
    const key = queryKeys.messages.of(pending.conversationId);
    this.client?.setQueryData<MessagesPage>(key, (old) => (old ? { ...old, items: withStored(old.items, message) } : old));
    this.set(this.items.filter((p) => p.clientId !== pending.clientId));
    void this.client?.invalidateQueries({ queryKey: key });
    void this.client?.invalidateQueries({ queryKey: queryKeys.conversations.lists() });
  }
}

/** The console's one outbox. */
export const outbox = new ReplyOutbox();

/** The pending replies of every conversation, re-rendering when they change. */
export function usePendingReplies(): readonly PendingReply[] {
  return useSyncExternalStore(outbox.subscribe, outbox.snapshot);
}
