import type { Channel } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import { canTake } from "./engine/index.ts";
import { mediaOf } from "./media.ts";
import { MAX_HOPS, refusal } from "./place-item.ts";
import { evaluateRules, type RuleInput } from "./rules/evaluate.ts";
import { calendarsOf, loadFacts } from "./rules/facts.ts";
import { loadRules, ruleInput } from "./rules/rule-store.ts";
import { loadAgentSnapshots, loadPolicy, loadQueueSetup } from "./snapshots.ts";

export interface NewContact {
  channel: Channel;
  /** The DID, official account, mailbox or widget key the contact would come in on. */
  entryPoint: string | null;
  /** Where the contact goes when no navigation rule matches (a widget's default queue). */
  queueId: string | null;
}

/**
 * The queue routing would put a new, not yet identified contact in now: the first matching
 * navigation rule's, else `queueId`. Null when the contact would not be queued at all (a rule
 * answers with a message, or nothing routes it).
 */
async function queueFor(db: Executor, tenantId: string, contact: NewContact, now: Date): Promise<string | null> {
  const rows = await loadRules(db, tenantId);
  const rules = rows.map(ruleInput).filter((r): r is RuleInput => r !== null);
  const facts = await loadFacts(db, tenantId, { channel: contact.channel, entryPoint: contact.entryPoint, contactId: null, at: now });
  const { matched } = evaluateRules(rules, facts, await calendarsOf(db, tenantId, rules));
  if (!matched) return contact.queueId;
  return matched.action.type === "queue" ? matched.action.queueId : null;
}

export interface RouteAvailability {
  /** The queue the contact would be served in is open by its calendar (after overflow hops). */
  open: boolean;
  /** An agent there would be offered the contact at once. */
  available: boolean;
}

/**
 * Where a contact placed in `queueId` now would be served, as `placeItem` places it: a queue
 * closed by its calendar or full sends it on through its overflow queue (up to MAX_HOPS); one
 * that overflows to leave-a-message or a ticket, or is closed with nowhere to send it, does not
 * serve it live. Null when nobody would serve it live; `closed` says whether a calendar was why.
 */
async function servingQueue(db: Executor, tenantId: string, queueId: string, now: Date): Promise<{ queueId: string | null; closed: boolean }> {
  let id = queueId;
  for (let hop = 0; ; hop++) {
    const queue = await db.selectFrom("queues").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
    if (!queue) return { queueId: null, closed: false };
    const why = hop < MAX_HOPS ? await refusal(db, queue, now) : null;
    if (!why) return { queueId: id, closed: false };
    if (queue.overflow_action === "queue" && queue.overflow_queue_id) {
      id = queue.overflow_queue_id;
      continue;
    }
    // a full queue without an overflow queue still takes the contact in line; a closed one does not serve it now
    if (why === "full" && queue.overflow_action === "none") return { queueId: id, closed: false };
    return { queueId: null, closed: why === "closed" };
  }
}

/**
 * Would a new contact on this channel be offered to an agent right now, and is the queue that
 * would serve it open? Decided the way routing decides: the queue the rules pick, its calendar
 * and overflow as `placeItem` follows them, its members as the engine sees them, and the engine's
 * own eligibility for the channel's medium. So an agent busy with an e-mail and one of five
 * chats still takes a chat; one at their chat capacity, in wrap-up, away or with their console
 * disconnected does not; and a queue closed for a public holiday says closed.
 */
export async function routeAvailability(db: Executor, tenantId: string, contact: NewContact, now: Date): Promise<RouteAvailability> {
  const picked = await queueFor(db, tenantId, contact, now);
  if (!picked) return { open: true, available: false };
  const { queueId, closed } = await servingQueue(db, tenantId, picked, now);
  if (!queueId) return { open: !closed, available: false };
  const setup = await loadQueueSetup(db, tenantId, queueId);
  if (!setup) return { open: true, available: false };
  const { agents } = await loadAgentSnapshots(db, tenantId, queueId, now);
  if (agents.length === 0) return { open: true, available: false };
  const policy = await loadPolicy(db, tenantId);
  const media = mediaOf(contact.channel);
  return { open: true, available: agents.some((agent) => canTake(agent, setup.config, media, policy)) };
}
