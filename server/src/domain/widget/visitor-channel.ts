import type { Channel } from "@yixian/contracts";

/**
 * How the channel adapter serving the widget names what the visitor use-cases store: its
 * channel, and the external ref of a conversation a visitor starts. The adapter owns the ref's
 * format; the domain only stores and compares it, never reads it.
 */
export interface VisitorChannel {
  channel: Channel;
  /**
   * The ref of the conversation a visitor starts after `previous` (null: their first). One per
   * visitor and predecessor, so concurrent starts of one visitor make one conversation, and a
   * new one follows an ended one.
   */
  externalRef(visitorId: string, previous: string | null): string;
}
