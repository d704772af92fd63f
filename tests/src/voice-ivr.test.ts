import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findInboundNumber } from "@yixian/server/domain";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant } from "./harness.ts";

// What callers hear and may key on each number: the IVR settings through the API, kept when the
// trunk is saved again, checked (menu keys, waiting keys, bounds), and what the call controller
// reads through findInboundNumber.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

let sequence = 0;
/** A number no other test holds. */
function freshNumber(): string {
  sequence += 1;
  return `+86400${String(Date.now() + sequence).slice(-7)}`;
}

async function trunkWith(tenant: TestTenant, numbers: string[], extra: Record<string, unknown> = {}) {
  const res = await api(server, tenant.admin)
    .post("/api/voice/trunks")
    .send({ name: `中继 ${numbers[0]}`, hosts: ["198.51.100.10"], allowedSources: ["198.51.100.10"], dids: numbers.map((number) => ({ number, label: null, queueId: null })), ...extra });
  expect(res.status).toBe(201);
  return res.body.data as { id: string; dids: { number: string; ivr: Record<string, unknown> }[] };
}

const DEFAULTS = { welcome: true, verification: "off", menu: [], announceEverySeconds: 30, voicemailKey: "1", callbackKey: "2", rating: true, ratingTimeoutSeconds: 8 };

describe("a number's IVR settings", () => {
  it("start at the defaults in the tenant's language, are replaced per number, and survive saving the trunk again", async () => {
    const tenant = await createTestTenant(server);
    const admin = api(server, tenant.admin);
    const [first, second] = [freshNumber(), freshNumber()];
    const trunk = await trunkWith(tenant, [first, second]);
    expect(trunk.dids.map((d) => d.ivr)).toEqual([
      { ...DEFAULTS, language: "zh-CN" },
      { ...DEFAULTS, language: "zh-CN" },
    ]);

    const ivr = { welcome: false, verification: "unknown-callers", menu: [{ key: "3", label: "发票" }, { key: "4", label: "技术支持" }], announceEverySeconds: 45, voicemailKey: "9", callbackKey: null, rating: false, ratingTimeoutSeconds: 5, language: "en" };
    const set = await admin.put(`/api/voice/numbers/${encodeURIComponent(first)}/ivr`).send(ivr);
    expect(set.status).toBe(200);
    expect(set.body.data).toEqual({ number: first, label: null, queueId: null, ivr });
    expect((await admin.get(`/api/voice/numbers/${encodeURIComponent(first)}`)).body.data.ivr).toEqual(ivr);
    // left out: the defaults; no language: the tenant's
    expect((await admin.put(`/api/voice/numbers/${encodeURIComponent(second)}/ivr`).send({ menu: [{ key: "5", label: "VIP" }] })).body.data.ivr).toEqual({ ...DEFAULTS, menu: [{ key: "5", label: "VIP" }], language: "zh-CN" });

    // the trunk saved again (the console's form sends no IVR): each number keeps its own
    const saved = await admin.put(`/api/voice/trunks/${trunk.id}`).send({ name: "中继", hosts: ["198.51.100.10"], allowedSources: ["198.51.100.10"], dids: [{ number: second, label: "热线", queueId: null }, { number: first, label: null, queueId: null }] });
    expect(saved.status).toBe(200);
    expect(saved.body.data.dids.map((d: { number: string; ivr: unknown }) => [d.number, d.ivr])).toEqual([
      [second, { ...DEFAULTS, menu: [{ key: "5", label: "VIP" }], language: "zh-CN" }],
      [first, ivr],
    ]);
    // an API client may send IVR settings with the trunk; a number dropped and added again starts over
    const third = freshNumber();
    const again = await admin.put(`/api/voice/trunks/${trunk.id}`).send({ name: "中继", hosts: ["198.51.100.10"], allowedSources: ["198.51.100.10"], dids: [{ number: first, label: null, queueId: null, ivr: { rating: false } }, { number: third, label: null, queueId: null }] });
    expect(again.body.data.dids.map((d: { ivr: unknown }) => d.ivr)).toEqual([
      { ...DEFAULTS, rating: false, language: "zh-CN" },
      { ...DEFAULTS, language: "zh-CN" },
    ]);
    await admin.put(`/api/voice/trunks/${trunk.id}`).send({ name: "中继", hosts: ["198.51.100.10"], allowedSources: ["198.51.100.10"], dids: [{ number: third, label: null, queueId: null }] });
    const back = await admin.put(`/api/voice/trunks/${trunk.id}`).send({ name: "中继", hosts: ["198.51.100.10"], allowedSources: ["198.51.100.10"], dids: [{ number: first, label: null, queueId: null }] });
    expect(back.body.data.dids[0].ivr).toEqual({ ...DEFAULTS, language: "zh-CN" });

    const audit = await server.deps.db.selectFrom("audit_log").select(["action", "changes"]).where("tenant_id", "=", tenant.id).where("entity_id", "=", first).execute();
    expect(audit.map((a) => a.action)).toEqual(["number.ivr_updated"]);
  });

  it("refuses keys that mean two things, keys out of range and bounds, with the field at fault", async () => {
    const tenant = await createTestTenant(server);
    const number = freshNumber();
    await trunkWith(tenant, [number]);
    const put = (body: unknown) => api(server, tenant.admin).put(`/api/voice/numbers/${encodeURIComponent(number)}/ivr`).send(body as object);
    const refused = async (body: unknown, path: string, message: RegExp) => {
      const res = await put(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      const issues = res.body.error.details as { path: string; message: string }[];
      expect(issues.some((i) => i.path === `body.${path}` && message.test(i.message)), JSON.stringify(issues)).toBe(true);
    };
    await refused({ menu: [{ key: "3", label: "发票" }, { key: "3", label: "账单" }] }, "menu.1.key", /used twice/);
    await refused({ menu: [{ key: "1", label: "发票" }] }, "menu.0.key", /voicemail key/);
    await refused({ menu: [{ key: "2", label: "发票" }] }, "menu.0.key", /call-back key/);
    await refused({ menu: [{ key: "0", label: "人工" }] }, "menu.0.key", /1 to 9/);
    await refused({ menu: [{ key: "12", label: "人工" }] }, "menu.0.key", /1 to 9/);
    await refused({ menu: [{ key: "3", label: "  " }] }, "menu.0.label", /name the choice/);
    await refused({ voicemailKey: "5", callbackKey: "5" }, "callbackKey", /differ/);
    await refused({ voicemailKey: "55" }, "voicemailKey", /0–9/);
    await refused({ announceEverySeconds: 5 }, "announceEverySeconds", /never/);
    await refused({ announceEverySeconds: 601 }, "announceEverySeconds", /600/);
    await refused({ ratingTimeoutSeconds: 1 }, "ratingTimeoutSeconds", /3/);
    await refused({ language: "fr" }, "language", /zh-CN/);
    await refused({ verification: "always" }, "verification", /off/);
    // the keys freed by turning voicemail and call-back off may be menu keys
    const free = await put({ voicemailKey: null, callbackKey: null, menu: [{ key: "1", label: "发票" }, { key: "2", label: "售后" }] });
    expect(free.status).toBe(200);
    expect(free.body.data.ivr).toMatchObject({ voicemailKey: null, callbackKey: null, menu: [{ key: "1" }, { key: "2" }] });
    // the trunk route checks numbers' IVR settings the same way
    const trunkRes = await api(server, tenant.admin)
      .post("/api/voice/trunks")
      .send({ name: "另一条", hosts: ["198.51.100.10"], allowedSources: ["198.51.100.10"], dids: [{ number: freshNumber(), label: null, queueId: null, ivr: { menu: [{ key: "1", label: "x" }] } }] });
    expect(trunkRes.status).toBe(400);
  });

  it("is only for the tenant's admins, and another tenant's number is not found", async () => {
    const [a, b] = [await createTestTenant(server), await createTestTenant(server)];
    const number = freshNumber();
    await trunkWith(a, [number]);
    const path = `/api/voice/numbers/${encodeURIComponent(number)}/ivr`;
    expect((await api(server, a.users.supervisor).put(path).send({ rating: false })).status).toBe(403);
    expect((await api(server, a.users.agent).get(`/api/voice/numbers/${encodeURIComponent(number)}`)).status).toBe(403);
    const other = await api(server, b.admin).put(path).send({ rating: false });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe("NOT_FOUND");
    expect((await api(server, b.admin).get(`/api/voice/numbers/${encodeURIComponent(number)}`)).status).toBe(404);
    expect((await findInboundNumber(server.deps, number))?.ivr.rating).toBe(true);
  });
});

describe("findInboundNumber", () => {
  it("gives the call controller the tenant, trunk, queue and IVR of a dialled number, in E.164 or digits; a disabled trunk's number is null", async () => {
    const tenant = await createTestTenant(server);
    const queue = await server.deps.db
      .insertInto("queues")
      .values({ tenant_id: tenant.id, name: "售后热线" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const number = freshNumber();
    const res = await api(server, tenant.admin)
      .post("/api/voice/trunks")
      .send({ name: "电信", hosts: ["198.51.100.10"], allowedSources: ["198.51.100.10"], dids: [{ number, label: "400", queueId: queue.id, ivr: { menu: [{ key: "3", label: "发票" }], language: "en" } }] });
    expect(res.status).toBe(201);
    const expected = {
      tenantId: tenant.id,
      trunkId: res.body.data.id,
      number,
      queueId: queue.id,
      ivr: { ...DEFAULTS, menu: [{ key: "3", label: "发票" }], language: "en" },
      // the tenant's country comes with the number, for the caller's number written without one
      defaultCountry: "CN",
    };
    expect(await findInboundNumber(server.deps, number)).toEqual(expected);
    expect(await findInboundNumber(server.deps, number.slice(1))).toEqual(expected);
    expect(await findInboundNumber(server.deps, `${number.slice(0, 3)} ${number.slice(3, 6)}-${number.slice(6)}`)).toEqual(expected);
    expect(await findInboundNumber(server.deps, "+861111111111")).toBeNull();
    expect(await findInboundNumber(server.deps, "")).toBeNull();

    // an English-speaking tenant's numbers without a language speak English
    await server.deps.db.updateTable("tenants").set({ locale: "en-GB" }).where("id", "=", tenant.id).execute();
    await api(server, tenant.admin).put(`/api/voice/numbers/${encodeURIComponent(number)}/ivr`).send({});
    expect((await findInboundNumber(server.deps, number))?.ivr.language).toBe("en");

    await api(server, tenant.admin)
      .put(`/api/voice/trunks/${res.body.data.id}`)
      .send({ name: "电信", hosts: ["198.51.100.10"], allowedSources: ["198.51.100.10"], dids: [{ number, label: "400", queueId: queue.id }], enabled: false });
    expect(await findInboundNumber(server.deps, number)).toBeNull();
  });
});
