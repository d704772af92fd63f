import { describe, expect, it } from "vitest";
import { api, type TestServer } from "./harness.ts";
import { twoNodesForFile, type NodeProcess } from "./node-process.ts";
import { agentOn, heardOf, liAndWang, myOffers, setPresence, startChat, until, type RoutingSocket } from "./routing-kit.ts";

// Two nodes on one PostgreSQL and Redis, beating every 200 ms and taken for dead after 2 s of
// silence. Node 2 is killed outright (SIGKILL: no socket closes, no clean-up): the agents whose
// consoles it held leave routing as if their sockets had closed.

let node1: TestServer;
let node2: NodeProcess;
const sockets: RoutingSocket[] = [];
twoNodesForFile(
  (n1, n2) => {
    node1 = n1;
    node2 = n2;
  },
  { redis: true, closeAfterAll: sockets, env: { PRESENCE_GRACE_MS: "60000", NODE_HEARTBEAT_MS: "200", NODE_TIMEOUT_MS: "2000" } },
);

describe("a node that dies without closing its sockets", () => {
  it("stops its agents being offered work: their pending offer goes to an agent on a live node", async () => {
    const { tenant, li, wang, queueId } = await liAndWang(node1);
    const wangDesk = await agentOn(node1.url, wang, sockets);
    const liDesk = await agentOn(node2.url, li, sockets);
    await setPresence(node1, li, "available");
    const chat = await startChat(node1, tenant, { queueId });
    await heardOf(liDesk.heard.offers, (o) => o.conversationId === chat.id, "Li's offer on node 2");

    node2.child.kill("SIGKILL");
    await until(() => myOffers(node1, li), (o) => o.length === 0, "Li's offer to be withdrawn once node 2 is found dead");
    await setPresence(node1, wang, "available");
    await heardOf(wangDesk.heard.offers, (o) => o.conversationId === chat.id, "Wang to be offered the chat Li's dead node held");

    // Li keeps the state she had while she may still reconnect, shown as reconnecting
    const presence = (await api(node1, li).get("/api/presence/me")).body.data;
    expect(presence).toMatchObject({ state: "available", missedOffers: 0, disconnectedAt: expect.any(String) });
  });
});
