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
  VisitorNotice,
  VisitorServerEvents,
  VisitorSession,
  WidgetPublicConfig,
} from "@yixian/contracts";
import { io, type Socket } from "socket.io-client";
import { ApiError, WidgetApi } from "./api.ts";
import { storageKeys, type KeyValueStore } from "./identity.ts";
import { lastSeq, markUpTo, mergeMessages, parseOutbox, pendingToThread, type PendingMessage, type ThreadAttachment, type ThreadMessage } from "./thread.ts";

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

/** A notice sits after the last message seen when it came (it is not stored as a message). */
export function noticeToThread(n: VisitorNotice, after: number): ThreadMessage {
  return {
    id: `notice:${n.kind}:${n.at}`,
    clientId: null,
    seq: after + 0.5,
    from: "system",
    authorName: n.agent?.name ?? null,
    text: n.kind,
    attachments: [],
    createdAt: n.at,
    status: "read",
  };
}

/**
 * The chat's state and its one connection: REST for config, session, pre-chat, leave-message,
 * rating and uploads; the /visitor socket for messages. The visitor's unacknowledged messages
 * live in an outbox (memory + storage) until the server's ack, and are resent on every
 * (re)connect after the widget has caught up with what it missed.
 */
export class ChatClient {
  state: ChatState = { phase: "loading", config: null, session: null, conversation: null, thread: [], connection: "connecting", agentTyping: null, left: null, rated: false };
  readonly api: WidgetApi;
  private socket: VisitorSocket | null = null;
  private outbox: PendingMessage[];
  private inFlight = new Set<string>();
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
      transports: ["websocket"],
      auth: { token: this.api.token ?? "" },
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    socket.on("connect", () => {
      this.set({ connection: "online" });
      void this.catchUp().then(() => this.flush());
    });
    socket.on("disconnect", () => {
      this.inFlight.clear();
      this.set({ connection: "offline", agentTyping: null });
    });
    socket.on("connect_error", () => this.set({ connection: "offline" }));
    socket.on("message:new", (m) => this.accept([m]));
    socket.on("conversation:changed", (c) => this.acceptConversation(c));
    socket.on("typing", (e) => this.set({ agentTyping: e.typing ? (e.agent ?? { name: "", initials: "" }) : null }));
    socket.on("read", (e) => this.set({ thread: markUpTo(this.state.thread, e.agentReadSeq, "read") }));
    socket.on("notice", (n) => {
      if (this.state.conversation && n.conversationId !== this.state.conversation.id) this.resetFor(n.conversationId);
      // every notice follows at least the message that started the conversation
      this.set({ thread: mergeMessages(this.state.thread, [noticeToThread(n, Math.max(1, lastSeq(this.state.thread)))]) });
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
    }
    this.set({ thread, agentTyping: messages.some((m) => m.from === "agent") ? null : this.state.agentTyping });
  }

  /** Everything after the last seq the widget has, page by page. */
  private async catchUp(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    for (let guard = 0; guard < 50; guard++) {
      let res: VisitorAck<{ conversation: VisitorConversation | null; items: VisitorMessage[]; nextAfterSeq: number | null }>;
      try {
        res = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("messages:sync", { afterSeq: lastSeq(this.state.thread) });
      } catch {
        return;
      }
      if (!res.ok) return;
      if (res.data.conversation) this.acceptConversation(res.data.conversation);
      this.accept(res.data.items);
      if (res.data.nextAfterSeq === null) return;
    }
  }

  /** Sends every unacknowledged message once per connection; the ack carries the stored one. */
  private flush(): void {
    const socket = this.socket;
    if (!socket?.connected) return;
    for (const p of this.outbox) {
      if (this.inFlight.has(p.clientId)) continue;
      this.inFlight.add(p.clientId);
      socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck("message:send", { clientId: p.clientId, text: p.text, attachmentIds: p.attachments.map((a) => a.id) })
        .then((res) => {
          this.inFlight.delete(p.clientId);
          if (res.ok) {
            this.accept([res.data]);
            // the first message started the conversation: learn its state (queue position)
            if (!this.state.conversation) void this.catchUp();
          } else if (res.error.code === "VALIDATION_FAILED" || res.error.code === "NOT_FOUND") {
            // the server will never take it: drop it rather than retry forever
            this.outbox = this.outbox.filter((x) => x.clientId !== p.clientId);
            this.saveOutbox();
            this.set({ thread: this.state.thread.filter((m) => m.clientId !== p.clientId) });
          }
        })
        .catch(() => {
          // no ack in time: it stays in the outbox and goes again on the next connect
          this.inFlight.delete(p.clientId);
        });
    }
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
    this.socket.emit("messages:read", { seq }, () => undefined);
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
    this.socket?.close();
    this.socket = null;
  }

  get key(): string {
    return this.widgetKey;
  }
}
