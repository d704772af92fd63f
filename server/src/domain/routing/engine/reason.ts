import type { QueueView } from "./queue-view.ts";
import type { Scan } from "./scan.ts";
import type { AgentSnapshot, Media } from "./types.ts";

/**
 * The sentences on the ticket timeline. Built once per decision (never inside the scan), in
 * English, with the numbers that decided it.
 */

/** Display names by agent id; an agent without one is shown by id. */
export type AgentNames = ReadonlyMap<string, string>;

const NOUNS: Record<Media, [string, string]> = { voice: ["call", "calls"], chat: ["chat", "chats"], email: ["e-mail", "e-mails"] };

export function nameOf(names: AgentNames | undefined, id: string): string {
  return names?.get(id) ?? id;
}

export function seconds(ms: number): number {
  return Math.max(0, Math.round(ms / 1000));
}

/** "1/5 chats (20%)", or "2/5 chats incl. 1 offered (40%)". */
export function loadText(agent: AgentSnapshot, media: Media): string {
  const pending = agent.pending[media];
  const used = agent.load[media] + pending;
  const capacity = agent.capacity[media];
  const percent = capacity > 0 ? Math.round((used / capacity) * 100) : 100;
  const offered = pending > 0 ? ` incl. ${pending} offered` : "";
  return `${used}/${capacity} ${NOUNS[media][1]}${offered} (${percent}%)`;
}

/** Why an agent who is a member of the queue cannot take the item now. */
export function unavailableText(agent: AgentSnapshot, qualified: boolean, media: Media): string {
  if (agent.state === "wrap_up") return "in wrap-up";
  if (agent.state !== "available") return agent.state;
  if (!qualified) return "lacking the queue's skills";
  if (media === "voice" && !agent.phoneRegistered) return "without a registered phone";
  if (agent.load[media] + agent.pending[media] >= agent.capacity[media]) return `at ${loadText(agent, media)}`;
  return media === "voice" ? "handling chats or e-mails" : "on a call";
}

/** The "wait" sentence when nobody can take the item, counting each reason. */
export function noFreeAgentText(view: QueueView, media: Media, s: Scan): string {
  const total = view.agents.length;
  if (total === 0) return "no agents in this queue";
  const parts: string[] = [];
  if (s.notAvailable > 0) parts.push(`${s.notAvailable} not available`);
  if (s.lacksSkills > 0) parts.push(`${s.lacksSkills} lacking skills`);
  if (s.noPhone > 0) parts.push(`${s.noPhone} without a registered phone`);
  if (s.atCapacity > 0) parts.push(`${s.atCapacity} at ${NOUNS[media][0]} capacity`);
  if (s.onVoice > 0) parts.push(media === "voice" ? `${s.onVoice} handling chats or e-mails` : `${s.onVoice} on a call`);
  return `no agent free for this ${NOUNS[media][0]}: ${total} in queue, ${parts.join(", ")}`;
}

/** For least_busy and longest_idle: what separated the winner from the runner-up. */
export function tieBreakText(view: QueueView, s: Scan, media: Media, names: AgentNames | undefined): string {
  if (s.runner < 0) return "";
  const win = view.agents[s.best]!;
  const run = view.agents[s.runner]!;
  const runName = nameOf(names, run.id);
  const leastBusy = view.queue.strategy === "least_busy";
  const sameFirst = leastBusy
    ? (win.load[media] + win.pending[media]) * run.capacity[media] === (run.load[media] + run.pending[media]) * win.capacity[media]
    : win.idleSince === run.idleSince;
  if (!sameFirst) return leastBusy ? `; next ${runName} at ${loadText(run, media)}` : `; next ${runName}`;
  const on = leastBusy ? "load" : "idle time";
  const winSkill = view.skillScore[s.best]!;
  const runSkill = view.skillScore[s.runner]!;
  if (winSkill !== runSkill) return `; tied on ${on} with ${runName}, higher skill level ${winSkill} vs ${runSkill}`;
  if (leastBusy && win.idleSince !== run.idleSince) return `; tied on load and skill level with ${runName}, idle longer`;
  return `; tied on ${on} and skill level with ${runName}, first by id`;
}
