import type { Channel, Role } from "@yixian/contracts";
import type { Config } from "../config.ts";
import type { Db, DatabaseKind, Tx } from "../db/database.ts";
import type { Clock } from "../platform/clock.ts";
import type { Logger } from "../platform/logger.ts";
import type { Outbox } from "./events/outbox.ts";
import type { StoragePort } from "./attachments/storage-port.ts";
import type { AudioConverter } from "./voice/prompts/audio-port.ts";
import type { OutboundPorts } from "./channels/outbound-port.ts";

/** A new contact (a conversation, or a ticket alone) handed to routing. */
export interface RoutingRequest {
  conversationId?: string | undefined;
  ticketId?: string | undefined;
  channel: Channel;
  /** The DID, official account, mailbox or widget key the contact came in on. */
  entryPoint?: string | undefined;
  menuChoice?: string | undefined;
  language?: string | undefined;
}

/**
 * What routing did with a contact: queued (maybe overflowed to voicemail or a ticket, or waiting
 * in a queue that refused it as usual: closed, full), answered by a rule's message instead,
 * unrouted, or already being routed.
 */
export type RoutingAnswer =
  /** `queueId`: the queue the item waits in; null when it does not wait (refused, overflowed). */
  | { kind: "queued"; queueId: string | null; overflow: "voicemail" | "ticket" | null; refused: "closed" | "full" | null }
  | { kind: "message"; text: string }
  | { kind: "unrouted" | "existing" };

/**
 * What conversations, presence and queues ask of routing. Passed in as `deps.routing` (the
 * process's dispatcher, routing/runtime.ts) so that those folders never import routing's files:
 * routing depends on them, not the other way round.
 */
export interface RoutingPort {
  /** Asks for a routing pass soon: call after committing anything that can change routing. */
  kick(): void;
  /** Puts the contact in a queue inside the caller's transaction (kick after the commit). */
  enqueue(tx: Tx, ctx: Ctx, request: RoutingRequest): Promise<RoutingAnswer>;
  /** May the agent take this conversation directly? Coded error when routing's pick-up rules say no. */
  checkPickUp(tx: Tx, ctx: Ctx, conversationId: string): Promise<void>;
  /** The agent took the conversation directly: its live work item becomes theirs. */
  claimConversation(tx: Tx, ctx: Ctx, conversationId: string, agentId: string, ticketId: string | null, now: Date): Promise<boolean>;
  /** The conversation ended: its work item completes or is abandoned, its offers withdrawn. */
  finishConversation(tx: Tx, ctx: Ctx, conversationId: string, now: Date): Promise<boolean>;
  /** The agent stopped being available: their pending offers are withdrawn and routed again. */
  withdrawAgentOffers(deps: Deps, tenantId: string, agentId: string): Promise<void>;
}

/** Everything a use-case may reach, wired once at start-up. */
export interface Deps {
  db: Db;
  dbKind: DatabaseKind;
  /** Short autocommitted statements made inside a transaction (PostgreSQL; null on PGlite): see `Database.autocommit`. */
  autocommit: Db | null;
  config: Config;
  log: Logger;
  clock: Clock;
  outbox: Outbox;
  storage: StoragePort;
  /** Converts a tenant's uploaded recordings for the phone. */
  audio: AudioConverter;
  /** The channels' outbound ports (web chat's, and those to come). */
  channels: OutboundPorts;
  routing: RoutingPort;
  /** Whether this node carries call audio now (its rtpengine answers); set by the phone layer. Absent: it does not. */
  phoneMedia?: { ready(): boolean };
  /** Speaks a navigation rule's message ahead of the calls that hear it; set by the phone layer. */
  phoneSpeech?: { prepare(text: string): void };
}

export type Actor =
  | { type: "user"; id: string; role: Role; name: string }
  | { type: "contact"; id: string }
  | { type: "integration"; id: string | null; name: string }
  | { type: "system" };

/** Who is acting, for which tenant, with what. Every use-case takes one. */
export interface Ctx {
  tenantId: string;
  actor: Actor;
  deps: Deps;
  log: Logger;
}

export function actorType(actor: Actor): "user" | "contact" | "integration" | "system" {
  return actor.type;
}

export function actorId(actor: Actor): string | null {
  return actor.type === "system" ? null : actor.id;
}

/**
 * Runs fn in one transaction. Outbox events written inside it are fanned out only after the
 * commit succeeds; a rollback drops them with everything else.
 */
export async function inTransaction<T>(ctx: Pick<Ctx, "deps">, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.deps.outbox.transaction(fn);
}

export function systemCtx(deps: Deps, tenantId: string): Ctx {
  return { tenantId, actor: { type: "system" }, deps, log: deps.log.child({ tenantId }) };
}
