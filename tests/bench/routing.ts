/**
 * Routing decisions in memory: 10,000 waiting items, 1,000 agents across 50 queues with skills,
 * one core, no workers. `npm run bench:routing`; the last line is the RESULT.
 *
 * Each round builds a fresh `RoutingIndex` over the same seeded world (not timed) and routes
 * every waiting item in serving order: `decide` plus `applyOffer`, so later items see the
 * offers made to earlier ones and agents fill up as they would. The baseline rotates through
 * each queue's agents ignoring presence, capacity, skills and everything else.
 */
import { performance } from "node:perf_hooks";
import {
  RoutingIndex,
  orderItems,
  type AgentSnapshot,
  type AgentState,
  type Decision,
  type Media,
  type QueueConfig,
  type RoutingPolicy,
  type Strategy,
  type WorkItemSnapshot,
} from "../../server/src/domain/routing/engine/index.ts";

const SEED = 20250616;
const QUEUES = 50;
const AGENTS = 1000;
const ITEMS = 10_000;
const SKILLS = 20;
const WARMUP_ROUNDS = Number(process.env.BENCH_WARMUP ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const NOW = Date.parse("2025-06-16T02:00:00Z");
const POLICY: RoutingPolicy = { chatDuringVoice: false };

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** mulberry32: small, fast, and the same world on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(SEED);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pickOne = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const chance = (p: number) => random() < p;
function weighted<T>(options: readonly [T, number][]): T {
  let r = random() * options.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of options) if ((r -= weight) < 0) return value;
  return options[options.length - 1]![0];
}
/** uuid-shaped ids, so id comparisons cost what they cost in production. */
function uuid(): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

interface World {
  queues: QueueConfig[];
  agents: AgentSnapshot[];
  names: Map<string, string>;
  /** Waiting items in serving order: each queue's order, queues taken in turn. */
  items: WorkItemSnapshot[];
}

function buildWorld(): World {
  const skillIds = Array.from({ length: SKILLS }, () => uuid());
  const strategies: [Strategy, number][] = [["least_busy", 20], ["round_robin", 15], ["longest_idle", 10], ["broadcast", 5]];
  const queues: QueueConfig[] = Array.from({ length: QUEUES }, () => ({
    id: uuid(),
    strategy: weighted(strategies),
    requiredSkills: Array.from({ length: int(0, 2) }, () => ({ skillId: pickOne(skillIds), minLevel: int(1, 5) })),
    vipFirst: chance(0.5),
    stickySeconds: chance(0.3) ? 30 : 0,
  }));

  const surnames = "李王张刘陈杨黄赵吴周";
  const given = ["娜", "芳", "伟", "洋", "静", "敏", "磊", "军", "丽", "强"];
  const names = new Map<string, string>();
  const states: [AgentState, number][] = [["available", 70], ["busy", 10], ["wrap_up", 7], ["away", 8], ["offline", 5]];
  const members = new Map<string, string[]>(queues.map((q) => [q.id, []]));
  const agents: AgentSnapshot[] = Array.from({ length: AGENTS }, (_, n) => {
    const id = uuid();
    names.set(id, `${surnames[n % 10]}${given[Math.floor(n / 10) % 10]}${Math.floor(n / 100) || ""}`);
    const queueIds = new Set(Array.from({ length: int(1, 4) }, () => pickOne(queues).id));
    const skills = new Map<string, number>();
    for (const queueId of queueIds) {
      members.get(queueId)!.push(id);
      for (const { skillId } of queues.find((q) => q.id === queueId)!.requiredSkills) skills.set(skillId, int(1, 10));
    }
    for (let k = int(0, 4); k > 0; k--) skills.set(pickOne(skillIds), int(1, 10));
    const capacity: Record<Media, number> = { voice: 1, chat: int(3, 6), email: int(5, 10) };
    return {
      id,
      state: weighted(states),
      capacity,
      load: { voice: chance(0.15) ? 1 : 0, chat: int(0, capacity.chat - 1), email: int(0, 3) },
      pending: { voice: 0, chat: 0, email: 0 },
      skills,
      queueIds,
      idleSince: NOW - int(0, 3600) * 1000,
      vipAgent: chance(0.1),
      phoneRegistered: true,
    };
  });

  const perQueue = new Map<string, WorkItemSnapshot[]>(queues.map((q) => [q.id, []]));
  for (let n = 0; n < ITEMS; n++) {
    const queue = pickOne(queues);
    const team = members.get(queue.id)!;
    perQueue.get(queue.id)!.push({
      id: uuid(),
      queueId: queue.id,
      media: weighted<Media>([["voice", 30], ["chat", 50], ["email", 20]]),
      priority: weighted([[0, 80], [1, 15], [2, 5]]),
      vip: chance(0.1),
      enqueuedAt: NOW - int(0, 600_000),
      preferredAgentId: team.length > 0 && chance(0.2) ? pickOne(team) : null,
      excludedAgentIds: new Set(team.length > 0 && chance(0.05) ? [pickOne(team)] : []),
    });
  }
  const ordered = queues.map((q) => orderItems(perQueue.get(q.id)!, q));
  const items: WorkItemSnapshot[] = [];
  for (let i = 0; items.length < ITEMS; i++) for (const list of ordered) if (i < list.length) items.push(list[i]!);
  return { queues, agents, names, items };
}

/** Rotation through each queue's members, ignoring presence, capacity, skills and the item. */
class Baseline {
  private readonly members = new Map<string, { ids: string[]; cursor: number }>();
  constructor(queues: QueueConfig[], agents: AgentSnapshot[]) {
    for (const q of queues) this.members.set(q.id, { ids: agents.filter((a) => a.queueIds.has(q.id)).map((a) => a.id).sort(), cursor: 0 });
  }
  decide(item: WorkItemSnapshot): Decision {
    const team = this.members.get(item.queueId)!;
    if (team.ids.length === 0) return { kind: "wait", itemId: item.id, reason: "no agents" };
    const agentId = team.ids[team.cursor++ % team.ids.length]!;
    return { kind: "offer", itemId: item.id, agentIds: [agentId], strategy: "round_robin", reason: "round robin" };
  }
}

interface Router {
  decide(item: WorkItemSnapshot): Decision;
  applyOffer(decision: Decision, item: WorkItemSnapshot): void;
}

function engineRouter(world: World): Router & { index: RoutingIndex } {
  const index = new RoutingIndex(world.queues, world.agents);
  return { index, decide: (item) => index.decide(item, NOW, POLICY, world.names), applyOffer: (d, item) => index.applyOffer(d, item) };
}

function baselineRouter(world: World): Router {
  const baseline = new Baseline(world.queues, world.agents);
  return { decide: (item) => baseline.decide(item), applyOffer: () => undefined };
}

interface Tally {
  offers: number;
  waits: number;
  /** Keeps the work observable so nothing is optimised away. */
  chars: number;
}

/** Per-decision latencies (ms) over `rounds` rounds of every item. */
function timeEach(rounds: number, make: () => Router, items: WorkItemSnapshot[], into: Float64Array, tally: Tally): void {
  let k = 0;
  for (let r = 0; r < rounds; r++) {
    const router = make();
    for (const item of items) {
      const t0 = performance.now();
      const decision = router.decide(item);
      router.applyOffer(decision, item);
      into[k++] = performance.now() - t0;
      if (decision.kind === "offer") tally.offers++;
      else tally.waits++;
      tally.chars += decision.reason.length;
    }
  }
}

/** Decisions per second over `rounds` rounds, one clock read per round (index builds excluded). */
function throughput(rounds: number, make: () => Router, items: WorkItemSnapshot[], tally: Tally): number {
  let ms = 0;
  for (let r = 0; r < rounds; r++) {
    const router = make();
    const t0 = performance.now();
    for (const item of items) {
      const decision = router.decide(item);
      router.applyOffer(decision, item);
      tally.chars += decision.reason.length;
    }
    ms += performance.now() - t0;
  }
  return (rounds * items.length) / (ms / 1000);
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** No agent may hold more offers than their free capacity after a round. */
function assertWithinCapacity(index: RoutingIndex, world: World): void {
  for (const a of world.agents) {
    const now = index.agent(a.id)!;
    for (const m of ["voice", "chat", "email"] as const) {
      if (now.pending[m] > 0 && now.load[m] + now.pending[m] > now.capacity[m]) throw new Error(`agent ${a.id} over ${m} capacity`);
    }
  }
}

const started = performance.now();
const world = buildWorld();
const members = world.queues.map((q) => world.agents.filter((a) => a.queueIds.has(q.id)).length);
say(`routing: ${QUEUES} queues, ${AGENTS} agents (${Math.min(...members)}–${Math.max(...members)} per queue), ${ITEMS} waiting items, seed ${SEED}`);
say(`world built in ${(performance.now() - started).toFixed(0)} ms; ${ROUNDS} rounds of ${ITEMS} decisions after ${WARMUP_ROUNDS} warm-up rounds`);

const indexStart = performance.now();
const check = engineRouter(world);
const indexMs = performance.now() - indexStart;
const samples = new Map<string, string>();
for (const item of world.items) {
  const decision = check.decide(item);
  const kind = decision.kind === "offer" ? decision.strategy : "wait";
  if (!samples.has(kind)) samples.set(kind, decision.reason);
  check.applyOffer(decision, item);
}
assertWithinCapacity(check.index, world);

const sink: Tally = { offers: 0, waits: 0, chars: 0 };
const engine = () => engineRouter(world);
const baseline = () => baselineRouter(world);
const warm = new Float64Array(WARMUP_ROUNDS * ITEMS);
timeEach(WARMUP_ROUNDS, engine, world.items, warm, sink);
timeEach(WARMUP_ROUNDS, baseline, world.items, warm, sink);
throughput(WARMUP_ROUNDS, engine, world.items, sink);
throughput(WARMUP_ROUNDS, baseline, world.items, sink);

const engineTally: Tally = { offers: 0, waits: 0, chars: 0 };
const engineLatency = new Float64Array(ROUNDS * ITEMS);
timeEach(ROUNDS, engine, world.items, engineLatency, engineTally);
const baselineLatency = new Float64Array(ROUNDS * ITEMS);
timeEach(ROUNDS, baseline, world.items, baselineLatency, sink);
const enginePerS = throughput(ROUNDS, engine, world.items, sink);
const baselinePerS = throughput(ROUNDS, baseline, world.items, sink);
engineLatency.sort();
baselineLatency.sort();

const ratio = enginePerS / baselinePerS;
const p99 = percentile(engineLatency, 99);
const row = (label: string, sorted: Float64Array, perS: number) =>
  `  ${label.padEnd(8)} p50 ${percentile(sorted, 50).toFixed(4)} ms  p99 ${percentile(sorted, 99).toFixed(4)} ms  max ${sorted[sorted.length - 1]!.toFixed(3)} ms  ${Math.round(perS).toLocaleString("en")} decisions/s`;
say(`index built in ${indexMs.toFixed(1)} ms; per round ${(engineTally.offers / ROUNDS).toFixed(0)} offers, ${(engineTally.waits / ROUNDS).toFixed(0)} waits`);
say(row("engine", engineLatency, enginePerS));
say(row("baseline", baselineLatency, baselinePerS));
say(`  engine ÷ baseline throughput: ${ratio.toFixed(4)} (baseline ignores presence, capacity, skills, VIP and returning customers)`);
say(`  goal p99 < 1 ms and ≥ 20,000 decisions/s: ${p99 < 1 && enginePerS >= 20_000 ? "met" : "NOT met"}`);
for (const [kind, reason] of samples) say(`  ${kind.padEnd(12)} e.g. "${reason}"`);
say(`  whole bench ${((performance.now() - started) / 1000).toFixed(1)} s (sink ${sink.chars % 997})`);
say(`RESULT routing p99_ms=${p99.toFixed(4)} per_s=${Math.round(enginePerS)} baseline_ratio=${ratio.toFixed(4)}`);
