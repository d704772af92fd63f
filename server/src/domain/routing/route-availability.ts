import type { Channel } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import { canTake } from "./engine/index.ts";
import { mediaOf } from "./media.ts";
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

/**
 * Would a new contact on this channel be offered to an agent right now? Decided the way the
 * dispatcher decides: the queue the rules pick, its members as the engine sees them, and the
 * engine's own eligibility for the channel's medium. So an agent busy with an e-mail and one of
 * five chats still takes a chat; one at their chat capacity, in wrap-up, away or with their
 * console disconnected does not.
 */
export async function wouldBeOffered(db: Executor, tenantId: string, contact: NewContact, now: Date): Promise<boolean> {
  const queueId = await queueFor(db, tenantId, contact, now);
  if (!queueId) return false;
  const setup = await loadQueueSetup(db, tenantId, queueId);
  if (!setup) return false;
  const { agents } = await loadAgentSnapshots(db, tenantId, queueId);
  if (agents.length === 0) return false;
  const policy = await loadPolicy(db, tenantId);
  const media = mediaOf(contact.channel);
  return agents.some((agent) => canTake(agent, setup.config, media, policy));
}
