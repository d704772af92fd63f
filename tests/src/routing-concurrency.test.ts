import pg from "pg";
import { describe, expect, it } from "vitest";
import { createTestTenant, type TestServer, type TestUser } from "./harness.ts";
import { twoNodesForFile, type NodeProcess } from "./node-process.ts";
import { addUser, givePhone, makeQueue } from "./routing-kit.ts";

// Two server processes route the same PostgreSQL database at the same time (PGlite is one
// process's database by design, so this always runs on PostgreSQL). Customers arrive through
// both; agents accept and finish their work through both. Whatever interleaving happens, no
// agent holds more than their capacity and every item goes to exactly one agent.

const ITEMS = 160;
const AGENTS = 6;
const CAPACITY = { voice: 1, chat: 2, email: 10 };

let node1: TestServer;
let node2: NodeProcess;
twoNodesForFile((n1, n2) => {
  node1 = n1;
  node2 = n2;
});

async function call(base: string, user: TestUser, method: string, path: string, body?: unknown): Promise<{ status: number; body: { data?: unknown; error?: { code: string } } }> {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as { data?: unknown; error?: { code: string } } };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("routing with two server processes on one database", () => {
  it("never over-assigns an agent, and gives every item to exactly one agent", { timeout: 180_000 }, async () => {
    const tenant = await createTestTenant(node1);
    const agents: TestUser[] = [];
    for (let i = 0; i < AGENTS; i++) agents.push(await addUser(node1, tenant, `Agent ${i}`));
    for (const agent of agents) await givePhone(node1, agent);
    const direct = await makeQueue(node1, tenant, agents, { strategy: "least_busy", offerTimeoutSeconds: 60, wrapUpSeconds: 0 });
    const grab = await makeQueue(node1, tenant, agents, { strategy: "broadcast", offerTimeoutSeconds: 60, wrapUpSeconds: 0 });
    const nodes = [node1.url, node2.url];
    for (const [i, agent] of agents.entries()) {
      expect((await call(nodes[i % 2]!, tenant.users.supervisor, "PATCH", `/presence/${agent.id}/capacity`, CAPACITY)).status).toBe(200);
      expect((await call(nodes[(i + 1) % 2]!, agent, "PUT", "/presence/me", { state: "available" })).status).toBe(200);
    }

    // Watches the database the whole time: held (and held + offered) never above capacity.
    const violations: string[] = [];
    let watching = true;
    const watchDb = new pg.Client({ connectionString: node1.databaseUrl! });
    await watchDb.connect();
    const watcher = (async () => {
      while (watching) {
        const rows = await watchDb.query<{ agent: string; media: string; held: number; offered: number }>(
          `select p.user_id as agent, m.media,
            (select count(*)::int from work_items w where w.assigned_to = p.user_id and w.state = 'assigned' and w.media = m.media) as held,
            (select count(*)::int from offers o join work_items w on w.id = o.work_item_id
              where o.agent_id = p.user_id and o.state = 'pending' and w.media = m.media) as offered
          from agent_presence p cross join (values ('voice'), ('chat')) as m(media)
          where p.tenant_id = $1`,
          [tenant.id],
        );
        for (const r of rows.rows) {
          const cap = CAPACITY[r.media as "voice" | "chat"];
          if (r.held > cap || r.held + r.offered > cap) violations.push(`${r.agent} ${r.media}: ${r.held} held + ${r.offered} offered > ${cap}`);
        }
        await sleep(25);
      }
    })();

    // Agents answer through both processes: accept every offer (a grab's losers are told it is
    // taken), then finish the work so that capacity frees up again.
    const created = new Set<string>();
    let flooding = true;
    const unexpected: string[] = [];
    const deadline = Date.now() + 120_000;
    const agentLoop = async (agent: TestUser, i: number) => {
      let turn = i;
      while ((flooding || (await pendingWork()) > 0) && Date.now() < deadline) {
        const node = nodes[turn++ % 2]!;
        const offers = await call(node, agent, "GET", "/offers/mine");
        const list = (offers.body.data ?? []) as { offerId: string; conversationId: string }[];
        if (list.length === 0) {
          await sleep(15);
          continue;
        }
        for (const offer of list) {
          const accepted = await call(nodes[turn++ % 2]!, agent, "POST", `/offers/${offer.offerId}/accept`);
          if (accepted.status === 409 && ["OFFER_CLOSED", "OFFER_EXPIRED"].includes(accepted.body.error?.code ?? "")) continue;
          if (accepted.status !== 200) {
            unexpected.push(`accept ${accepted.status} ${JSON.stringify(accepted.body)}`);
            continue;
          }
          const ended = await call(nodes[turn++ % 2]!, agent, "POST", `/conversations/${offer.conversationId}/end`, {});
          if (ended.status !== 200) unexpected.push(`end ${ended.status} ${JSON.stringify(ended.body)}`);
        }
      }
    };
    const pendingWork = async () => {
      const row = await node1.deps.db
        .selectFrom("work_items")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("tenant_id", "=", tenant.id)
        .where("state", "in", ["waiting", "offered", "assigned"])
        .executeTakeFirstOrThrow();
      return row.n;
    };
    const working = agents.map((a, i) => agentLoop(a, i));

    // Customers arrive through both processes at once: chats and calls, in both queues.
    const customer = tenant.users.agent;
    const arrivals = Array.from({ length: ITEMS }, (_, i) => i);
    const flood = async (worker: number) => {
      for (let i = worker; i < ITEMS; i += 8) {
        const res = await call(nodes[i % 2]!, customer, "POST", "/conversations", {
          channel: i % 5 === 0 ? "phone" : "webchat",
          queueId: i % 3 === 0 ? grab : direct,
          subject: `arrival ${arrivals[i]}`,
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        created.add((res.body.data as { id: string }).id);
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => flood(w)));
    flooding = false;
    await Promise.all(working);
    watching = false;
    await watcher;
    await watchDb.end();

    expect(unexpected).toEqual([]);
    expect(violations).toEqual([]);
    expect(created.size).toBe(ITEMS);
    const items = await node1.deps.db.selectFrom("work_items").selectAll().where("tenant_id", "=", tenant.id).execute();
    // one item per conversation: none lost, none duplicated, every one handled by one agent
    expect(items.length).toBe(ITEMS);
    expect(new Set(items.map((w) => w.conversation_id))).toEqual(created);
    for (const item of items) {
      expect(item.state).toBe("completed");
      expect(item.assigned_to).not.toBeNull();
    }
    const accepted = await node1.deps.db
      .selectFrom("offers")
      .select(["work_item_id", "agent_id"])
      .where("tenant_id", "=", tenant.id)
      .where("state", "=", "accepted")
      .execute();
    expect(accepted.length).toBe(ITEMS);
    const byItem = new Map(accepted.map((o) => [o.work_item_id, o.agent_id]));
    expect(byItem.size).toBe(ITEMS);
    for (const item of items) expect(byItem.get(item.id)).toBe(item.assigned_to);
    // the broadcast queue really offered items to several agents at once
    const grabbed = await node1.deps.db
      .selectFrom("offers")
      .innerJoin("work_items", "work_items.id", "offers.work_item_id")
      .select("offers.state")
      .where("work_items.queue_id", "=", grab)
      .where("offers.state", "=", "withdrawn")
      .execute();
    expect(grabbed.length).toBeGreaterThan(0);
    expect(node2.output()).not.toMatch(/"level":(50|60)/);
  });
});
