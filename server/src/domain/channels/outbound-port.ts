import type { Channel, ConversationTypingEvent, Message } from "@yixian/contracts";

/** Where an outbound message is in its channel: sending → sent → delivered → read, or failed. */
export type OutboundState = "sending" | "sent" | "delivered" | "read" | "failed";

/** What a channel says about one delivery attempt. */
export interface Delivery {
  state: OutboundState;
  /** The channel's own id for the sent message (for receipts and threading). */
  externalId?: string | null | undefined;
  /** Why it failed (state failed), in words an agent can act on. */
  reason?: string | null | undefined;
}

/** A conversation as an outbound port needs it: whom to send to, under the adapter's own ref. */
export interface OutboundConversation {
  id: string;
  tenantId: string;
  channel: Channel;
  externalRef: string | null;
  contactId: string | null;
  /** The identity the customer came by (their WeChat openid, e-mail address, visitor id), if any. */
  identity: { kind: string; value: string } | null;
}

/**
 * A channel's way out. After an agent's reply commits, the reply-delivery outbox subscriber
 * calls `deliver` (at least once: a thrown error is retried with backoff; after the last try the
 * message is marked failed with the error's message). A port answers the state it reached.
 */
export interface OutboundPort {
  readonly channel: Channel;
  /**
   * The state a reply is stored in before `deliver` runs: "sending" (the default), or "sent" for
   * a channel whose delivery is the relay of the committed message itself (web chat).
   */
  readonly initialState?: "sending" | "sent";
  deliver(message: Message, conversation: OutboundConversation): Promise<Delivery>;
  /** An agent typing in one of this channel's conversations (not stored; channels that can show it). */
  typing?(tenantId: string, e: ConversationTypingEvent): void;
}

/** The outbound ports by channel, one each; the composition root registers the adapters'. */
export class OutboundPorts {
  private readonly ports = new Map<string, OutboundPort>();

  register(port: OutboundPort): () => void {
    if (this.ports.has(port.channel)) throw new Error(`the ${port.channel} channel already has an outbound port`);
    this.ports.set(port.channel, port);
    return () => {
      if (this.ports.get(port.channel) === port) this.ports.delete(port.channel);
    };
  }

  get(channel: string): OutboundPort | undefined {
    return this.ports.get(channel);
  }

  /** A reply's first state: its port's, or "sent" on a channel no port delivers (as before ports). */
  initialState(channel: string): "sending" | "sent" {
    const port = this.ports.get(channel);
    return port ? (port.initialState ?? "sending") : "sent";
  }

  /** Tells the channels that an agent is typing (each shows it in its own conversations, if it can). */
  typing(tenantId: string, e: ConversationTypingEvent): void {
    for (const port of this.ports.values()) port.typing?.(tenantId, e);
  }

  all(): OutboundPort[] {
    return [...this.ports.values()];
  }
}
