import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { api, createTestTenant, freshPostgresDatabase, startTestServer, TEST_DB, type TestDb } from "./harness.ts";
import { accept, addUser, itemOf, makeContact, makeQueue, myOffers, setCapacity, setPresence, startChat, until } from "./routing-kit.ts";

// Routing state lives in the database: a restart loses no waiting item, keeps their order, and
// a wrap-up that was running ends on time in the new process.

async function restartKeepsRouting(db: TestDb) {
  const dataDir = mkdtempSync(join(tmpdir(), "yx-restart-"));
  const fresh = db === "postgres" ? await freshPostgresDatabase() : null;
  const options = { db, dataDir, keepData: true, ...(fresh ? { databaseUrl: fresh.url } : {}) };
  try {
    const first = await startTestServer(options);
    const tenant = await createTestTenant(first);
    const li = await addUser(first, tenant, "Li Lei");
    const wang = await addUser(first, tenant, "Wang Fang");
    const queueId = await makeQueue(first, tenant, [li]);
    const wangsQueue = await makeQueue(first, tenant, [wang], { wrapUpSeconds: 3600 });

    // Wang finishes a chat just before the restart: his wrap-up is running.
    await setPresence(first, wang, "available");
    const handled = await startChat(first, tenant, { queueId: wangsQueue, subject: "before the restart" });
    const [offer] = await until(() => myOffers(first, wang), (o) => o.length > 0, "Wang's offer");
    expect((await accept(first, wang, offer!.offerId)).status).toBe(200);
    expect((await api(first, wang).post(`/api/conversations/${handled.id}/end`).send({})).status).toBe(200);
    expect((await api(first, wang).get("/api/presence/me")).body.data.state).toBe("wrap_up");

    // Li is offline: customers wait, a VIP ahead of the others.
    const vip = await makeContact(first, tenant, { vip: true });
    const waiting: { id: string }[] = [];
    for (const subject of ["first", "second", "third"]) waiting.push(await startChat(first, tenant, { queueId, subject }));
    waiting.push(await startChat(first, tenant, { queueId, subject: "VIP", contactId: vip }));
    const before = await api(first, tenant.users.supervisor).get(`/api/work-items?queueId=${queueId}`);
    expect(before.body.data.map((w: { conversationId: string }) => w.conversationId)).toEqual([waiting[3]!.id, waiting[0]!.id, waiting[1]!.id, waiting[2]!.id]);
    await first.close();

    const second = await startTestServer({ ...options, keepData: false });
    try {
      const after = await api(second, tenant.users.supervisor).get(`/api/work-items?queueId=${queueId}`);
      expect(after.body.data).toEqual(before.body.data);
      expect(after.body.data.every((w: { state: string }) => w.state === "waiting")).toBe(true);

      // the wrap-up that started before the restart ends in the new process when its time is up
      // (as if the hour passed while the server was down)
      await second.deps.db.updateTable("agent_presence").set({ wrap_up_until: new Date(Date.now() - 1000) }).where("user_id", "=", wang.id).execute();
      const presence = async () => (await api(second, wang).get("/api/presence/me")).body.data as { state: string };
      expect((await until(presence, (p) => p.state !== "wrap_up", "Wang's wrap-up to end")).state).toBe("available");
      expect((await itemOf(second, handled.id)).wrap_ms).toBeGreaterThan(0);

      // and the waiting items are served in the same order: the VIP first
      await setCapacity(second, tenant, li, { chat: 1 });
      await setPresence(second, li, "available");
      const offered = await until(() => myOffers(second, li), (o) => o.length > 0, "Li's first offer after the restart");
      expect(offered.map((o) => o.conversationId)).toEqual([waiting[3]!.id]);
      expect((await itemOf(second, waiting[0]!.id)).state).toBe("waiting");
    } finally {
      await second.stop();
    }
  } finally {
    await fresh?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe("routing across a restart", () => {
  it(`keeps waiting items waiting, in order, and ends a running wrap-up (${TEST_DB === "pglite" ? "PGlite's data folder" : "PostgreSQL"})`, { timeout: 60_000 }, () =>
    restartKeepsRouting(TEST_DB),
  );
});
