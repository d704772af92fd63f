/**
 * The domain facade: what channel adapters (channels/, telephony/) may use. They import this
 * (as `@yixian/server/domain`) and `@yixian/contracts`, never deeper domain files, and never SQL.
 */
export type { Actor, Ctx, Deps } from "./context.ts";
export { DomainError } from "./errors.ts";

// the way in: every channel's customer messages and conversation starts
export { receiveMessage, type InboundMessage, type InboundSender, type Received } from "./conversations/receive-message.ts";

// the way out: a channel's outbound port, and the receipts it reports
export { OutboundPorts, type Delivery, type OutboundConversation, type OutboundPort, type OutboundState } from "./channels/outbound-port.ts";
export { recordDelivery, type DeliveredMessage } from "./channels/record-delivery.ts";

// committed events, for adapters that act on them
export type { OutboxEvent, OutboxSubscriber, RetryPolicy } from "./events/outbox.ts";
