/**
 * The conversation as the widget shows it: stored messages in seq order, then the visitor's
 * own messages that the server has not acknowledged yet ("sending"), in the order they were
 * written. Merging is by id and clientId, so a message seen twice (ack + broadcast + resync)
 * is shown once.
 */
export type MessageStatus = "sending" | "sent" | "delivered" | "read";

export interface ThreadAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  url: string;
}

export interface ThreadMessage {
  id: string | null;
  clientId: string | null;
  seq: number | null;
  /** visitor: written by this visitor; agent; system: a notice (queued, joined, ended…). */
  from: "visitor" | "agent" | "system";
  authorName: string | null;
  text: string;
  attachments: ThreadAttachment[];
  createdAt: string;
  status: MessageStatus;
  /** A queued notice that came live: the queue position then (null: from the history, or none). */
  position?: number | null;
}

export interface PendingMessage {
  clientId: string;
  text: string;
  attachments: ThreadAttachment[];
  createdAt: string;
  /** The server refused it for good: kept (and shown with the reason) until the visitor removes it. */
  failed?: { code: string; message: string };
}

const STATUS_RANK: Record<MessageStatus, number> = { sending: 0, sent: 1, delivered: 2, read: 3 };

function sameMessage(a: ThreadMessage, b: ThreadMessage): boolean {
  if (a.id !== null && a.id === b.id) return true;
  return a.clientId !== null && a.clientId === b.clientId;
}

/** Adds or updates messages; never duplicates; keeps the better (acknowledged, further) status. */
export function mergeMessages(thread: readonly ThreadMessage[], incoming: readonly ThreadMessage[]): ThreadMessage[] {
  const out = [...thread];
  for (const m of incoming) {
    const i = out.findIndex((x) => sameMessage(x, m));
    if (i < 0) {
      out.push(m);
      continue;
    }
    const old = out[i]!;
    const status = STATUS_RANK[old.status] > STATUS_RANK[m.status] ? old.status : m.status;
    out[i] = { ...old, ...m, id: m.id ?? old.id, seq: m.seq ?? old.seq, clientId: m.clientId ?? old.clientId, status };
  }
  return sortThread(out);
}

/**
 * Adds the history's notices the thread does not have yet. A notice already there (it came live)
 * stays as it is: same identity, and the live one knows the queue position.
 */
export function mergeNotices(thread: readonly ThreadMessage[], notices: readonly ThreadMessage[]): ThreadMessage[] {
  const fresh = notices.filter((n) => !thread.some((m) => m.id !== null && m.id === n.id));
  return fresh.length ? mergeMessages(thread, fresh) : [...thread];
}

/** Stored messages by seq; unacknowledged ones after them, oldest first. */
export function sortThread(thread: ThreadMessage[]): ThreadMessage[] {
  return thread
    .map((m, i) => ({ m, i }))
    .sort((a, b) => {
      const sa = a.m.seq ?? Number.POSITIVE_INFINITY;
      const sb = b.m.seq ?? Number.POSITIVE_INFINITY;
      if (sa !== sb) return sa - sb;
      return a.m.createdAt < b.m.createdAt ? -1 : a.m.createdAt > b.m.createdAt ? 1 : a.i - b.i;
    })
    .map((x) => x.m);
}

/** The highest seq the widget has: a resync asks for everything after it. */
export function lastSeq(thread: readonly ThreadMessage[]): number {
  return thread.reduce((max, m) => (m.seq !== null && Number.isInteger(m.seq) && m.seq > max ? m.seq : max), 0);
}

/** Marks the visitor's messages up to a seq as delivered / read by the agent. */
export function markUpTo(thread: readonly ThreadMessage[], seq: number, status: "delivered" | "read"): ThreadMessage[] {
  return thread.map((m) => (m.from === "visitor" && m.seq !== null && m.seq <= seq && STATUS_RANK[m.status] < STATUS_RANK[status] ? { ...m, status } : m));
}

export function pendingToThread(p: PendingMessage): ThreadMessage {
  return { id: null, clientId: p.clientId, seq: null, from: "visitor", authorName: null, text: p.text, attachments: p.attachments, createdAt: p.createdAt, status: "sending" };
}

/** The outbox survives a reload: it is kept as JSON; anything unreadable is dropped. */
export function parseOutbox(raw: string | null): PendingMessage[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    if (!Array.isArray(value)) return [];
    return value
      .filter(
        (p): p is PendingMessage =>
          typeof p === "object" && p !== null && typeof (p as PendingMessage).clientId === "string" && typeof (p as PendingMessage).text === "string" && Array.isArray((p as PendingMessage).attachments),
      )
      .map((p) => {
        const f = p.failed as unknown;
        const failed = typeof f === "object" && f !== null && typeof (f as { code?: unknown }).code === "string" ? { code: (f as { code: string }).code, message: String((f as { message?: unknown }).message ?? "") } : undefined;
        const { failed: _dropped, ...rest } = p;
        return failed ? { ...rest, failed } : rest;
      });
  } catch {
    return [];
  }
}

/** Initials for an agent's avatar: two letters of a Latin name, one character of a Chinese one. */
export function initials(name: string | null): string {
  const n = (name ?? "").trim();
  if (!n) return "?";
  const words = n.split(/\s+/).filter(Boolean);
  if (/^[\p{Script=Han}]/u.test(n)) return n.slice(0, 1);
  return words.length > 1 ? (words[0]![0]! + words[1]![0]!).toUpperCase() : n.slice(0, 2).toUpperCase();
}
