import type {
  LeaveMessage,
  LeaveMessageResult,
  PreChatSubmit,
  VisitorAck,
  VisitorAgent,
  VisitorAttachment,
  VisitorClientEvents,
  VisitorConversation,
  VisitorMessage,
  VisitorMessageList,
  VisitorNotice,
  VisitorServerEvents,
  VisitorSession,
  WidgetPublicConfig,
} from "@yixian/contracts";
import { io, type Socket } from "socket.io-client";
import { ApiError, WidgetApi } from "./api.ts";
import { storageKeys, type KeyValueStore } from "./identity.ts";
import { afterFailure, DISCONNECTED, isDue, nextRetryAt, TIMEOUT, type Delivery, type SendFailure } from "./retry.ts";
import { lastSeq, markUpTo, mergeMessages, mergeNotices, parseOutbox, pendingToThread, type PendingMessage, type ThreadAttachment, type ThreadMessage } from "./thread.ts";

export type Phase = "loading" | "unavailable" | "prechat" | "leave" | "chat";
export type Connection = "connecting" | "online" | "offline";

export interface ChatState {
  phase: Phase;
  config: WidgetPublicConfig | null;
  session: VisitorSession | null;
  conversation: VisitorConversation | null;
  thread: ThreadMessage[];
  connection: Connection;
  agentTyping: VisitorAgent | null;
  left: LeaveMessageResult | null;
  rated: boolean;
  /** The visitor's unsent messages that were refused or got no answer, by clientId. */
  delivery: Record<string, Delivery>;
}

const ACK_TIMEOUT_MS = 10_000;
const TYPING_IDLE_MS = 3000;

type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

export function toThread(m: VisitorMessage): ThreadMessage {
  return {
    id: m.id,
    clientId: m.clientId,
    seq: m.seq,
    from: m.from === "visitor" ? "visitor" : m.from === "system" ? "system" : "agent",
    authorName: m.agent?.name ?? null,
    text: m.text,
    attachments: m.attachments,
    createdAt: typeof m.createdAt === "string" ? m.createdAt : new Date(m.createdAt).toISOString(),
    status: m.from === "visitor" ? "delivered" : "read",
  };
}

/**
 * A notice's identity, the same live and from the history: its conversation, what happened and
 * when. An agent taking the chat is one event whether it reads "joined" or "transferred".
 */
export function noticeId(n: Pick<VisitorNotice, "kind" | "conversationId" | "at">): string {
  const what = n.kind === "transferred" ? "agent_joined" : n.kind;
  return `notice:${n.conversationId}:${what}:${n.at}`;
}

/**
 * A notice sits after a message (it is not stored as a message): the one the history says, or,
 * live, the last one seen when it came.
 */
export function noticeToThread(n: VisitorNotice, after: number): ThreadMessage {
  return {
    id: noticeId(n),
    clientId: null,
    seq: (n.afterSeq ?? after) + 0.5,
    from: "system",
    authorName: n.agent?.name ?? null,
    text: n.kind,
    attachments: [],
    createdAt: n.at,
    status: "read",
    position: n.position,
  };
}

/**
 * The chat's state and its one connection: REST for config, session, pre-chat, leave-message,
 * rating and uploads; the /visitor socket for messages. The visitor's unacknowledged messages
 * live in an outbox (memory + storage) until the server's ack, and are resent on every
 * (re)connect after the widget has caught up with what it missed.
 */
export class ChatClient {
  state: ChatState = { phase: "loading", config: null, session: null, conversation: null, thread: [], connection: "connecting", agentTyping: null, left: null, rated: false, delivery: {} };
  readonly api: WidgetApi;
  private socket: VisitorSocket | null = null;
  private outbox: PendingMessage[];
  /** clientId → which send of it is out (an answer to an older one is stale). */
  private inFlight = new Map<string, number>();
  private sends = 0;
  /** clientId → how many of its sends failed (the backoff grows with it). */
  private attempts = new Map<string, number>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private listeners = new Set<() => void>();
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private typingSent = false;
  private readReported = 0;
  private readonly keys: ReturnType<typeof storageKeys>;

  constructor(
    private readonly origin: string,
    private readonly widgetKey: string,
    private readonly store: KeyValueStore,
    private readonly locale: string,
    private readonly pageUrl: string,
  ) {
    this.api = new WidgetApi(origin, widgetKey);
    this.keys = storageKeys(widgetKey);
    this.outbox = parseOutbox(store.get(this.keys.outbox));
    const delivery: Record<string, Delivery> = {};
    for (const p of this.outbox) if (p.failed) delivery[p.clientId] = { state: "failed", ...p.failed };
    this.state = { ...this.state, delivery };
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }

  private saveOutbox(): void {
    if (this.outbox.length) this.store.set(this.keys.outbox, JSON.stringify(this.outbox));
    else this.store.remove(this.keys.outbox);
  }

  /** Config, then the visitor's session (resumed with the stored token), then the right screen. */
  async start(): Promise<void> {
    this.set({ phase: "loading" });
    try {
      const config = await this.api.config();
      const session = await this.api.session({ visitorToken: this.store.get(this.keys.visitor) ?? undefined, locale: this.locale, pageUrl: this.pageUrl.slice(0, 2000) });
      this.store.set(this.keys.visitor, session.visitorToken);
      this.api.token = session.visitorToken;
      const conversation = session.conversation;
      const thread = mergeMessages([], this.outbox.map(pendingToThread));
      this.set({ config, session, conversation, thread });
      const formShown = Object.values(config.preChatForm).some((m) => m !== "off");
      // an open conversation resumes; an ended one waits for its rating
      if (conversation && (conversation.state !== "ended" || !conversation.rated)) this.openChat();
      else if (!config.available && this.outbox.length === 0) this.set({ phase: "leave" });
      else if (session.needsPreChat || (formShown && !session.returning)) this.set({ phase: "prechat" });
      else this.openChat();
    } catch (err) {
      this.set({ phase: "unavailable" });
      throw err;
    }
  }

  async submitPreChat(values: PreChatSubmit): Promise<void> {
    const result = await this.api.preChat(values);
    if (this.state.session) this.set({ session: { ...this.state.session, contact: result.contact, needsPreChat: false } });
    if (result.conversation) this.set({ conversation: result.conversation });
    if (this.state.config && !this.state.config.available) this.set({ phase: "leave" });
    else this.openChat();
  }

  private openChat(): void {
    this.set({ phase: "chat" });
    if (this.socket) return;
    const socket: VisitorSocket = io(`${this.origin}/visitor`, {
      path: "/socket.io",
      // WebSocket first; where a proxy blocks it, HTTP long-polling (the server allows any page's
      // origin at the transport; the visitor namespace checks the widget's allowed origins)
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      auth: { token: this.api.token ?? "" },
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    socket.on("connect", () => {
      this.set({ connection: "online" });
      void this.catchUp().then(() => this.flush(true));
    });
    socket.on("disconnect", () => {
      this.inFlight.clear();
      this.set({ connection: "offline", agentTyping: null });
      this.waitForConnection();
    });
    socket.on("connect_error", () => this.set({ connection: "offline" }));
    socket.on("message:new", (m) => this.accept([m]));
    socket.on("conversation:changed", (c) => this.acceptConversation(c));
    socket.on("typing", (e) => this.set({ agentTyping: e.typing ? (e.agent ?? { name: "", initials: "" }) : null }));
    socket.on("read", (e) => this.set({ thread: markUpTo(this.state.thread, e.agentReadSeq, "read") }));
    socket.on("queue:position", (e) => {
      const c = this.state.conversation;
      if (c && c.id === e.conversationId && c.state === "queued") this.set({ conversation: { ...c, queuePosition: e.position } });
    });
    socket.on("notice", (n) => {
      if (this.state.conversation && n.conversationId !== this.state.conversation.id) this.resetFor(n.conversationId);
      // every notice follows at least the message that started the conversation
      this.set({ thread: mergeMessages(this.state.thread, [noticeToThread({ ...n, afterSeq: undefined }, Math.max(1, lastSeq(this.state.thread)))]) });
    });
  }

  /** A new conversation after an ended one: its seqs start again at 1. */
  private resetFor(conversationId: string): void {
    const pending = this.state.thread.filter((m) => m.seq === null);
    this.readReported = 0;
    this.set({ thread: pending, conversation: this.state.conversation && this.state.conversation.id === conversationId ? this.state.conversation : null, rated: false });
  }

  private acceptConversation(c: VisitorConversation): void {
    if (this.state.conversation && this.state.conversation.id !== c.id) this.resetFor(c.id);
    this.set({ conversation: c, thread: markUpTo(this.state.thread, c.agentReadSeq, "read"), agentTyping: c.state === "ended" ? null : this.state.agentTyping, rated: this.state.rated || c.rated });
  }

  private accept(messages: VisitorMessage[]): void {
    let thread = this.state.thread;
    const current = this.state.conversation;
    const foreign = messages.find((m) => current && m.conversationId !== current.id);
    if (foreign) {
      this.resetFor(foreign.conversationId);
      thread = this.state.thread;
    }
    thread = mergeMessages(thread, messages.map(toThread));
    if (this.state.conversation) thread = markUpTo(thread, this.state.conversation.agentReadSeq, "read");
    const acked = new Set(messages.map((m) => m.clientId).filter((c): c is string => c !== null));
    if (acked.size) {
      this.outbox = this.outbox.filter((p) => !acked.has(p.clientId));
      this.saveOutbox();
      for (const c of acked) this.attempts.delete(c);
      this.dropDelivery([...acked]);
    }
    this.set({ thread, agentTyping: messages.some((m) => m.from === "agent") ? null : this.state.agentTyping });
  }

  /** Everything after the last seq the widget has, page by page. */
  private async catchUp(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    for (let guard = 0; guard < 50; guard++) {
      let res: VisitorAck<VisitorMessageList>;
      try {
        res = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("messages:sync", { afterSeq: lastSeq(this.state.thread) });
      } catch {
        return;
      }
      if (!res.ok) return;
      if (res.data.conversation) this.acceptConversation(res.data.conversation);
      this.accept(res.data.items);
      // the notices the visitor saw before a reload (or on another page) come back with the history
      const notices = (res.data.notices ?? []).filter((n) => n.conversationId === this.state.conversation?.id);
      if (notices.length) this.set({ thread: mergeNotices(this.state.thread, notices.map((n) => noticeToThread(n, n.afterSeq))) });
      if (res.data.nextAfterSeq === null) return;
    }
  }

  /**
   * Sends the unacknowledged messages that may go: on (re)connect all of them (`now`), else those
   * whose retry wait is over. The ack carries the stored message; the same clientId every time,
   * so the server stores it once.
   */
  private flush(now = false): void {
    const socket = this.socket;
    if (!socket?.connected) {
      // still connecting for the first time: it goes on connect, nothing to tell yet
      if (this.state.connection === "offline") this.waitForConnection();
      return;
    }
    const at = Date.now();
    for (const p of this.outbox) {
      const delivery = this.state.delivery[p.clientId];
      if (this.inFlight.has(p.clientId) || delivery?.state === "failed") continue;
      if (!now && !isDue(delivery, at)) continue;
      const send = ++this.sends;
      this.inFlight.set(p.clientId, send);
      if (delivery) this.dropDelivery([p.clientId]);
      socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck("message:send", { clientId: p.clientId, text: p.text, attachmentIds: p.attachments.map((a) => a.id) })
        .then(
          (res) => {
            if (res.ok) {
              this.settled(p.clientId, send);
              this.accept([res.data]);
              // the first message started the conversation: learn its state (queue position)
              if (!this.state.conversation) void this.catchUp();
            } else this.failed(p.clientId, send, res.error);
          },
          () => this.failed(p.clientId, send, { code: this.socket?.connected ? TIMEOUT : DISCONNECTED, message: "no answer" }),
        );
    }
  }

  /** The message is stored: nothing left to retry. */
  private settled(clientId: string, send: number): void {
    if (this.inFlight.get(clientId) === send) this.inFlight.delete(clientId);
    this.attempts.delete(clientId);
    this.dropDelivery([clientId]);
  }

  private dropDelivery(clientIds: readonly string[]): void {
    const gone = clientIds.filter((c) => c in this.state.delivery);
    if (gone.length === 0) return;
    const delivery = { ...this.state.delivery };
    for (const c of gone) delete delivery[c];
    this.set({ delivery });
    this.schedule();
  }

  /** A send was refused or got no answer: wait and go again, or fail for good with the reason. */
  private failed(clientId: string, send: number, failure: SendFailure): void {
    // a newer send of it is out (a reconnect sent it again): that one decides
    if (this.inFlight.get(clientId) !== send) return;
    this.inFlight.delete(clientId);
    const pending = this.outbox.find((p) => p.clientId === clientId);
    if (!pending) return;
    const next = afterFailure(this.attempts.get(clientId) ?? 0, failure, Date.now());
    if (next.state === "retrying") this.attempts.set(clientId, next.attempt);
    else {
      pending.failed = { code: next.code, message: next.message };
      this.saveOutbox();
    }
    this.set({ delivery: { ...this.state.delivery, [clientId]: next } });
    this.schedule();
  }

  /** Offline: every unsent message waits for the connection (the reconnect sends them). */
  private waitForConnection(): void {
    let delivery = this.state.delivery;
    for (const p of this.outbox) {
      const d = delivery[p.clientId];
      if (d?.state === "failed" || (d?.state === "retrying" && d.retryAt === null)) continue;
      delivery = { ...delivery, [p.clientId]: afterFailure(this.attempts.get(p.clientId) ?? 0, { code: DISCONNECTED, message: "offline" }, Date.now()) };
    }
    if (delivery !== this.state.delivery) this.set({ delivery });
    this.schedule();
  }

  /** One timer, for the earliest waiting message. */
  private schedule(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const at = nextRetryAt(this.state.delivery);
    if (at === null || !this.socket) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flush();
    }, Math.max(0, at - Date.now()));
  }

  /** "Retry now": the waiting message goes at once (offline: reconnect first, which sends it). */
  retryNow(clientId: string): void {
    const d = this.state.delivery[clientId];
    if (d?.state !== "retrying") return;
    this.set({ delivery: { ...this.state.delivery, [clientId]: { ...d, retryAt: Date.now() } } });
    if (this.socket?.connected) this.flush();
    else this.networkBack();
  }

  /** The visitor removes a message the server refused for good. */
  discard(clientId: string): void {
    if (this.state.delivery[clientId]?.state !== "failed") return;
    this.outbox = this.outbox.filter((p) => p.clientId !== clientId);
    this.saveOutbox();
    this.attempts.delete(clientId);
    this.set({ thread: this.state.thread.filter((m) => m.clientId !== clientId || m.seq !== null) });
    this.dropDelivery([clientId]);
  }

  send(text: string, attachments: VisitorAttachment[] = []): void {
    if (!text.trim() && attachments.length === 0) return;
    if (this.state.conversation?.state === "ended") this.newChat();
    const files: ThreadAttachment[] = attachments.map((a) => ({ id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, url: a.url }));
    const pending: PendingMessage = { clientId: crypto.randomUUID(), text, attachments: files, createdAt: new Date().toISOString() };
    this.outbox.push(pending);
    this.saveOutbox();
    this.set({ thread: mergeMessages(this.state.thread, [pendingToThread(pending)]) });
    this.stopTyping();
    this.flush();
  }

  /** After an ended (and rated) chat: an empty thread; the next message starts a conversation. */
  newChat(): void {
    this.readReported = 0;
    this.set({ conversation: null, thread: this.state.thread.filter((m) => m.seq === null), rated: false });
  }

  typing(): void {
    const socket = this.socket;
    if (!socket?.connected) return;
    if (!this.typingSent) {
      socket.emit("typing", { typing: true });
      this.typingSent = true;
    }
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = null;
    if (this.typingSent && this.socket?.connected) this.socket.emit("typing", { typing: false });
    this.typingSent = false;
  }

  /** The panel is open: the visitor has read up to the newest message. */
  markRead(): void {
    const seq = lastSeq(this.state.thread);
    if (seq <= this.readReported || !this.socket?.connected) return;
    this.readReported = seq;
    // the ack carries the visitor's read mark (the unread badge counts from it)
    this.socket.emit("messages:read", { seq }, (res) => {
      const current = this.state.conversation;
      if (!res.ok || !current || res.data.id !== current.id || res.data.visitorReadSeq <= current.visitorReadSeq) return;
      this.set({ conversation: { ...current, visitorReadSeq: res.data.visitorReadSeq } });
    });
  }

  async leaveMessage(values: LeaveMessage): Promise<void> {
    const left = await this.api.leaveMessage(values);
    this.set({ left });
  }

  async rate(score: number, comment: string): Promise<void> {
    try {
      await this.api.rate({ score, comment });
    } catch (err) {
      // rated already (another tab): the card goes away all the same
      if (!(err instanceof ApiError) || err.code !== "CONFLICT") throw err;
    }
    this.set({ rated: true });
  }

  /**
   * The browser says the network is gone (Wi-Fi to 4G, a tunnel): drop the socket now rather than
   * wait ~45 s for the ping timeout, and keep writing into the outbox.
   */
  networkLost(): void {
    if (!this.socket?.connected) return;
    this.socket.disconnect();
    this.set({ connection: "offline" });
  }

  /** The network is back: reconnect at once (then catch up and resend, as on every connect). */
  networkBack(): void {
    if (this.socket && !this.socket.connected) this.socket.connect();
  }

  close(): void {
    this.stopTyping();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.socket?.close();
    this.socket = null;
  }

  get key(): string {
    return this.widgetKey;
  }
}
