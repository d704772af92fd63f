/**
 * Defect 17: accepting a conversation opens its ticket inside the accept's transaction, and the
 * ticket's number used to lock the tenant's daily counter until that transaction ended, so every
 * accept in a tenant waited for the one before it. Numbers are now taken outside the transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, systemCtx } from "../../server/src/domain/context.ts";
import { insertTicket } from "../../server/src/domain/tickets/insert-ticket.ts";
import { api, createTestTenant, startTestServer, TEST_DB, type TestServer, type TestTenant } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** A queued phone conversation of a new caller, without a ticket yet. */
async function queuedCall(tenant: TestTenant, phone: string): Promise<string> {
  const res = await api(server, tenant.users.agent).post("/api/conversations").send({ channel: "phone", identity: { kind: "phone", value: phone } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.data.ticketId).toBeNull();
  return res.body.data.id as string;
}

async function accept(tenant: TestTenant, conversationId: string): Promise<string> {
  const res = await api(server, tenant.users.agent).post(`/api/conversations/${conversationId}/accept`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const ticket = await server.deps.db.selectFrom("tickets").select("number").where("id", "=", res.body.data.ticketId).executeTakeFirstOrThrow();
  return ticket.number;
}

describe("ticket numbers under concurrent accepts", { timeout: 60_000 }, () => {
  // PGlite has one connection that runs transactions one at a time: nothing can run beside a held one
  it.skipIf(TEST_DB !== "postgres")("lets an accept finish while another transaction of the tenant that opened a ticket is still open", async () => {
    const tenant = await createTestTenant(server);
    const conversationId = await queuedCall(tenant, "13800138001");
    const ctx = systemCtx(server.deps, tenant.id);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let opened!: (number: string) => void;
    const numbered = new Promise<string>((resolve) => (opened = resolve));
    // an accept half-way: its ticket is written, its transaction not yet committed
    const slow = inTransaction(ctx, async (tx) => {
      const ticket = await insertTicket(tx, ctx, { subject: "慢的受理", sourceChannel: "phone" });
      opened(ticket.number);
      await held;
      return ticket.number;
    });
    const slowNumber = await numbered;
    // before the fix this waited for the held transaction's counter row lock, i.e. forever
    const quickNumber = await accept(tenant, conversationId);
    release();
    expect(await slow).toBe(slowNumber);
    expect(quickNumber).not.toBe(slowNumber);
    const stored = await server.deps.db.selectFrom("tickets").select("number").where("tenant_id", "=", tenant.id).orderBy("number").execute();
    expect(stored.map((t) => t.number)).toEqual([slowNumber, quickNumber].sort());
  });

  it("gives every one of many accepts at once its own number of the tenant's day", async () => {
    const tenant = await createTestTenant(server);
    const calls = await Promise.all(Array.from({ length: 8 }, (_, i) => queuedCall(tenant, `1390013900${i}`)));
    const numbers = await Promise.all(calls.map((id) => accept(tenant, id)));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const n of numbers) expect(n).toMatch(/^YX-\d{8}-\d{4}$/);
  });

  it("does not give out again the number of a ticket whose transaction rolled back: a gap", async () => {
    const tenant = await createTestTenant(server);
    const ctx = systemCtx(server.deps, tenant.id);
    const first = await inTransaction(ctx, (tx) => insertTicket(tx, ctx, { subject: "第一张" }));
    await expect(
      inTransaction(ctx, async (tx) => {
        await insertTicket(tx, ctx, { subject: "回滚的" });
        throw new Error("the accept failed after opening the ticket");
      }),
    ).rejects.toThrow(/accept failed/);
    const third = await inTransaction(ctx, (tx) => insertTicket(tx, ctx, { subject: "第三张" }));
    const seq = (n: string) => Number(n.slice(-4));
    // PGlite numbers inside the transaction, which gives its number back when it rolls back
    expect(seq(third.number) - seq(first.number)).toBe(TEST_DB === "postgres" ? 2 : 1);
  });
});
