import { describe, expect, it } from "vitest";
import { api, createTestTenant, type TestServer } from "./harness.ts";
import { twoNodesForFile, type NodeProcess } from "./node-process.ts";
import { PROVIDER_PASSWORD, provider, type Provider } from "./provider-kit.ts";

// Two nodes on one PostgreSQL register a trunk at its provider: only one of them does (a lease per
// trunk), and when that node stops the other takes over. The nodes share WIDGET_SECRET, as a
// cluster must: the provider password is sealed with it.
let node1: TestServer;
let node2: NodeProcess;
const providers: Provider[] = [];
twoNodesForFile(
  (n1, n2) => {
    node1 = n1;
    node2 = n2;
  },
  { closeAfterAll: [{ close: () => void Promise.all(providers.map((p) => p.close())) }], env: { SIP_UDP_PORT: "0", RTPENGINE_URL: "off", WIDGET_SECRET: "a cluster shares one secret for sealed passwords", NODE_HEARTBEAT_MS: "300", NODE_TIMEOUT_MS: "3000" } },
);

describe("a trunk registered from a cluster", () => {
  it("is registered by one node only, and by the other once that one stops", async () => {
    const p = await provider();
    providers.push(p);
    const tenant = await createTestTenant(node1);
    const created = await api(node1, tenant.admin)
      .post("/api/voice/trunks")
      .send({ name: "电信", hosts: ["127.0.0.1"], allowedSources: ["127.0.0.1"], registration: { registrar: `127.0.0.1:${p.port}`, username: "yixian-trunk", password: PROVIDER_PASSWORD, expiresSeconds: 60 } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    // three registrations (a refresh every second) while node 2 looks every 300 ms: all from one node
    await p.until((c) => c.filter((b) => b.length === 1).length >= 3, "three registrations");
    const first = new Set(p.ports);
    expect(first.size).toBe(1);
    const holder = [...first][0]!;
    const node1Port = node1.phone.stack.transports.get("udp").local.port;

    // the holder stops: its binding is removed, and the other node registers the trunk
    const before = p.ports.length;
    // node 1 closes without dropping the database the other node still uses
    if (holder === node1Port) await node1.close();
    else await node2.stop();
    await p.until((c) => c.length > 0 && c.at(-1)!.length === 1 && p.ports.slice(before).some((port) => port !== holder), "the other node's registration");
    expect(p.changes.some((b) => b.length === 0)).toBe(true);
    expect(new Set(p.ports.slice(before).filter((port) => port !== holder)).size).toBe(1);
  });
});
