/**
 * The routing engine (ACD): pure functions over snapshots, no database, no I/O, no clock of its
 * own. The dispatcher loads snapshots under row locks, calls `decide` (or a `RoutingIndex` for
 * many items at once), writes the offers and persists `nextRoutingState` per queue.
 */
export type {
  AgentSnapshot,
  AgentState,
  Decision,
  Media,
  QueueConfig,
  RoutingPolicy,
  RoutingState,
  Strategy,
  WorkItemSnapshot,
} from "./types.ts";
export {
  AT_CAPACITY,
  ELIGIBLE,
  LACKS_SKILLS,
  NOT_AVAILABLE,
  NO_PHONE,
  ON_VOICE,
  canTake,
  checkAgent,
  eligibleAgents,
  hasRequiredSkills,
  skillScore,
  type Eligibility,
} from "./eligibility.ts";
export { compareItems, orderItems } from "./order.ts";
export { decide, decideInView, nextRoutingState } from "./decide.ts";
export type { AgentNames } from "./reason.ts";
export { buildQueueView, type QueueView } from "./queue-view.ts";
export { RoutingIndex, applyOffer } from "./routing-index.ts";
