import { describe, expect, it } from "vitest";
import { api, type TestServer } from "./harness.ts";
import { twoNodesForFile, type NodeProcess } from "./node-process.ts";
import { agentOn, heardOf, liAndWang, myOffers, setCapacity, setPresence, startChat, until, type RoutingSocket } from "./routing-kit.ts";

// Two nodes on one PostgreSQL and Redis: an agent leaves routing when their last console socket
// closes, whichever node held it, and not while another node still holds one.

let node1: TestServer;
let node2: NodeProcess;
const sockets: RoutingSocket[] = [];
twoNodesForFile(
  (n1, n2) => {
    node1 = n1;
    node2 = n2;
  },
  { redis: true, closeAfterAll: sockets, env: { PRESENCE_GRACE_MS: "60000" } },
);

describe("a dropped console socket across two nodes", () => {
  it("keeps the agent while a socket on the other node stays, and takes them out when the last one closes", async () => {
    const { tenant, li, wang, queueId } = await liAndWang(node1);
    const wangDesk = await agentOn(node1.url, wang, sockets);
    const liOnNode1 = await agentOn(node1.url, li, sockets);
    const liOnNode2 = await agentOn(node2.url, li, sockets);
    await setPresence(node1, li, "available");

    // the tab on node 1 closes; the one on node 2 still takes work
    liOnNode1.socket.close();
    const first = await startChat(node1, tenant, { queueId });
    await heardOf(liOnNode2.heard.offers, (o) => o.conversationId === first.id, "Li's offer on node 2");

    // the last tab, on node 2, closes: the offer goes to Wang, through node 1
    liOnNode2.socket.close();
    await until(() => myOffers(node1, li), (o) => o.length === 0, "Li's offer to be withdrawn");
    await setPresence(node1, wang, "available");
    await heardOf(wangDesk.heard.offers, (o) => o.conversationId === first.id, "Wang to be offered the chat Li left");

    // Li comes back on node 2 within the grace period, as available as before
    await setCapacity(node1, tenant, wang, { chat: 1 });
    const second = await startChat(node1, tenant, { queueId });
    await agentOn(node2.url, li, sockets);
    await until(() => myOffers(node1, li), (o) => o.some((c) => c.conversationId === second.id), "Li to be offered the waiting chat after reconnecting");
    expect((await api(node1, li).get("/api/presence/me")).body.data).toMatchObject({ state: "available", missedOffers: 0 });
    expect(node2.output()).not.toMatch(/"level":(50|60)/);
  });
});
