import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTenantFixtures, type TenantFixtures } from "./fixtures.ts";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant } from "./harness.ts";
import { fillPath, listOperations, queryFor, withFixtureIds, type Operation } from "./openapi-walk.ts";
import { connectSocket, type ClientSocket } from "./sockets.ts";
import { connectVisitor, openDesk, openSession, type VisitorSocket } from "./widget-kit.ts";

// Client mistakes on every route of the OpenAPI document answer a coded 4xx, never a 500: the
// NUL character (PostgreSQL cannot store it in text) anywhere in a body, query or path,
// compressed bodies, and bodies of a type the route does not read.

let server: TestServer;
let operations: Operation[];
let tenant: TestTenant;
let fixtures: TenantFixtures;
const sockets: { close(): unknown }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  operations = await listOperations(server);
  tenant = await createTestTenant(server);
  fixtures = await buildTenantFixtures(server, tenant);
  // a server, a tenant and a fixture of every kind of record: slow on a busy machine
}, 180_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

const NUL = "\u0000";

/** Every string in `value` as [path, a copy with NUL appended to that string]. */
function withNul(value: unknown, path = "body"): [string, unknown][] {
  if (typeof value === "string") return [[path, `${value}${NUL}`]];
  if (Array.isArray(value)) return value.flatMap((item, i) => withNul(item, `${path}.${i}`).map(([p, v]): [string, unknown] => [p, value.map((x, j) => (j === i ? v : x))]));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, item]) => withNul(item, `${path}.${k}`).map(([p, v]): [string, unknown] => [p, { ...value, [k]: v }]));
  }
  return [];
}

function call(op: Operation, url: string) {
  return api(server, tenant.admin)[op.method](url);
}

function answer(res: { status: number; body: unknown }): string {
  return `${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
}

describe("the NUL character", () => {
  it("is refused in every string of every route's body with 400 VALIDATION_FAILED naming the field", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const op of operations.filter((o) => o.jsonBody)) {
      const { url } = fillPath(op, fixtures.ids);
      const example = withFixtureIds(op.example ?? {}, fixtures.ids);
      // a route whose example has no text still gets one: a field it does not know
      const cases = withNul(example);
      for (const [path, body] of cases.length > 0 ? cases : withNul({ ...(example as object), note: "x" })) {
        checked++;
        const res = await call(op, url).query(queryFor(op, fixtures.ids)).send(body as object);
        if (res.status !== 400 || res.body?.error?.code !== "VALIDATION_FAILED" || !String(res.body.error.message).startsWith(`${path}: `)) {
          failures.push(`${op.name} with NUL in ${path}: ${answer(res)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it("is refused in every query parameter and path parameter of every route", async () => {
    const failures: string[] = [];
    for (const op of operations) {
      const { url } = fillPath(op, fixtures.ids);
      for (const p of op.query) {
        const res = await call(op, url).query({ ...queryFor(op, fixtures.ids), [p.name]: `1${NUL}` });
        if (res.status !== 400 || !String(res.body?.error?.message).startsWith(`query.${p.name}: `)) failures.push(`${op.name} with NUL in ?${p.name}: ${answer(res)}`);
      }
      if (op.pathParams.length > 0) {
        const res = await call(op, fillPath(op, { ...fixtures.ids, [op.pathParams[0]!]: `x${NUL}` }).url);
        if (res.status !== 400 || res.body?.error?.code !== "VALIDATION_FAILED") failures.push(`${op.name} with NUL in {${op.pathParams[0]!}}: ${answer(res)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("leaves the ticket unsaved when the subject holds it, and the same ticket without it is created", async () => {
    const bad = await api(server, tenant.users.agent).post("/api/tickets").send({ subject: `打印机${NUL}卡纸`, contactId: fixtures.ids.contactId });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "VALIDATION_FAILED", message: "body.subject: must not contain the NUL character (U+0000)" });
    const good = await api(server, tenant.users.agent).post("/api/tickets").send({ subject: "打印机卡纸", contactId: fixtures.ids.contactId });
    expect(good.status, answer(good)).toBe(201);
  });

  it("is refused in the public widget's pre-chat and leave-a-message forms", async () => {
    const desk = await openDesk(server, sockets);
    const session = await openSession(server, desk.widgetKey);
    const asVisitor = (path: string) => supertest(server.url).post(path).set("Authorization", `Bearer ${session.visitorToken}`);
    const prechat = await asVisitor("/api/widget/sessions/prechat").send({ name: `李${NUL}雷`, phone: "13800138000" });
    expect(prechat.status, answer(prechat)).toBe(400);
    expect(prechat.body.error.message).toMatch(/^body\.name: /);
    const leave = await asVisitor("/api/widget/sessions/leave-message").send({ name: "李雷", phone: "13800138000", text: `请回电${NUL}` });
    expect(leave.status, answer(leave)).toBe(400);
    expect(leave.body.error.message).toMatch(/^body\.text: /);
  });

  it("is refused in socket payloads, visitors' and agents', with a VALIDATION_FAILED ack", async () => {
    const desk = await openDesk(server, sockets);
    const session = await openSession(server, desk.widgetKey);
    const visitor: VisitorSocket = await connectVisitor(server.url, session.visitorToken);
    sockets.push(visitor);
    const sent = await visitor.emitWithAck("message:send", { text: `你好${NUL}`, clientId: "c-nul", attachmentIds: [] });
    expect(sent).toEqual({ ok: false, error: { code: "VALIDATION_FAILED", message: "message:send.0.text: must not contain the NUL character (U+0000)" } });
    const fine = await visitor.emitWithAck("message:send", { text: "你好", clientId: "c-ok", attachmentIds: [] });
    expect(fine.ok).toBe(true);

    const agent: ClientSocket = await connectSocket(server.url, desk.agent.token);
    sockets.push(agent);
    const subscribed = await agent.emitWithAck("ticket:subscribe", `x${NUL}`);
    expect(subscribed).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
  });
});

describe("compressed and mistyped bodies", () => {
  const ticket = () => JSON.stringify({ subject: "发票打印失败", contactId: fixtures.ids.contactId });
  // fetch sends the bytes as they are (supertest would serialise a Buffer as JSON)
  const post = async (encoding: string, body: Buffer) => {
    const res = await fetch(`${server.url}/api/tickets`, {
      method: "POST",
      headers: { Authorization: `Bearer ${tenant.users.agent.token}`, "Content-Type": "application/json", "Content-Encoding": encoding },
      body: new Uint8Array(body),
    });
    return { status: res.status, body: (await res.json()) as { data: { subject: string }; error: { code: string } } };
  };

  it("reads gzip, deflate and br bodies as JSON", async () => {
    for (const [encoding, body] of [
      ["gzip", gzipSync(ticket())],
      ["deflate", deflateSync(ticket())],
      ["br", brotliCompressSync(ticket())],
    ] as const) {
      const res = await post(encoding, body);
      expect(res.status, `${encoding}: ${answer(res)}`).toBe(201);
      expect(res.body.data.subject).toBe("发票打印失败");
    }
  });

  it("answers a body that is not what its Content-Encoding says with 400, an unknown encoding with 415, and a compressed bomb with 413", async () => {
    const notGzip = await post("gzip", Buffer.from(ticket()));
    expect(notGzip.status).toBe(400);
    expect(notGzip.body.error.code).toBe("VALIDATION_FAILED");
    const unknown = await post("compress", Buffer.from(ticket()));
    expect(unknown.status).toBe(415);
    expect(unknown.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    // 1 KB on the wire, 4 MB once inflated: the 1 MB limit counts inflated bytes
    const bomb = await post("gzip", gzipSync(`{"subject":"${" ".repeat(4 * 1024 * 1024)}"}`));
    expect(bomb.status).toBe(413);
    expect(bomb.body.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("reads plain JSON with or without a byte-order mark, and answers what is not a JSON object with 400", async () => {
    const plain = async (text: string) => {
      const res = await fetch(`${server.url}/api/tickets`, {
        method: "POST",
        headers: { Authorization: `Bearer ${tenant.users.agent.token}`, "Content-Type": "application/json; charset=utf-8" },
        body: text,
      });
      return { status: res.status, body: (await res.json()) as { data: { subject: string }; error: { code: string; message: string } } };
    };
    const withMark = await plain(`\uFEFF ${ticket()}`);
    expect(withMark.status).toBe(201);
    expect(withMark.body.data.subject).toBe("发票打印失败");
    for (const text of ['{"subject": "发票', '"发票打印失败"', "42", "   "]) {
      const res = await plain(text);
      expect(res.status, text).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(res.body.error.message).toBe("request body is not valid JSON");
    }
  });

  it("answers a PATCH whose body is not JSON with 415 and changes nothing", async () => {
    const res = await supertest(server.url)
      .patch("/api/tenant")
      .set("Authorization", `Bearer ${tenant.admin.token}`)
      .set("Content-Type", "text/plain")
      .send(JSON.stringify({ timeZone: "Europe/Berlin" }));
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect((await api(server, tenant.admin).get("/api/tenant")).body.data.timeZone).toBe("Asia/Shanghai");
  });

  it("answers 415 on every route that carries a body when it is of another type than the route reads", async () => {
    const failures: string[] = [];
    for (const op of operations.filter((o) => o.method !== "get")) {
      const { url } = fillPath(op, fixtures.ids);
      const [type, body] = op.multipart ? ["application/json", "{}"] : ["application/x-www-form-urlencoded", "subject=x"];
      const res = await call(op, url).query(queryFor(op, fixtures.ids)).set("Content-Type", type).send(body);
      if (res.status !== 415 || res.body?.error?.code !== "UNSUPPORTED_MEDIA_TYPE") failures.push(`${op.name} with ${type}: ${answer(res)}`);
    }
    expect(failures).toEqual([]);
  });
});
