import { PERMISSIONS, ROLES, roleCan, type Permission, type Role } from "@yixian/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTenantFixtures } from "./fixtures.ts";
import { fillPath, listOperations, queryFor, send, type Operation } from "./openapi-walk.ts";
import { api, createTestTenant, startTestServer, type TestServer } from "./harness.ts";

// What each role may do comes from two places that must agree: ROLE_PERMISSIONS in contracts
// and each route's x-permission in the OpenAPI document. Every gated route is called by every
// role against records of the caller's own tenant.

let server: TestServer;
let operations: Operation[];

beforeAll(async () => {
  server = await startTestServer();
  operations = await listOperations(server);
});
afterAll(async () => {
  await server?.stop();
});

function isPermission(p: string): p is Permission {
  return (PERMISSIONS as readonly string[]).includes(p);
}

function gated(): (Operation & { permission: Permission })[] {
  return operations.filter((o): o is Operation & { permission: Permission } => isPermission(o.permission));
}

function find(method: Operation["method"], path: string): Operation {
  const op = operations.find((o) => o.method === method && o.path === path);
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the API document`);
  return op;
}

describe("authorisation by role", () => {
  it("names a known permission, 'authenticated' or 'public' on every route", () => {
    const unknown = operations.filter((o) => !isPermission(o.permission) && o.permission !== "authenticated" && o.permission !== "public");
    expect(unknown.map((o) => `${o.name}: ${o.permission}`)).toEqual([]);
    expect(gated().length).toBeGreaterThan(5);
  });

  it.each(ROLES)("lets %s do exactly what its permissions allow, on every gated route", async (role: Role) => {
    const tenant = await createTestTenant(server, role);
    const fixtures = await buildTenantFixtures(server, tenant);
    const user = tenant.users[role];
    const failures: string[] = [];
    for (const op of gated()) {
      const { url, missing } = fillPath(op, fixtures.ids);
      if (missing.length > 0) {
        failures.push(`${op.name}: no fixture for {${missing.join("}, {")}}; add one to buildTenantFixtures in tests/src/fixtures.ts`);
        continue;
      }
      const res = await send(api(server, user)[op.method](url).query(queryFor(op, fixtures.ids)), op, fixtures.ids);
      const code: unknown = res.body?.error?.code;
      if (roleCan(role, op.permission)) {
        if (res.status === 401 || code === "FORBIDDEN") failures.push(`${op.name} (${op.permission}) should be allowed for ${role}: ${res.status} ${String(code)}`);
      } else if (res.status !== 403 || code !== "FORBIDDEN") {
        failures.push(`${op.name} (${op.permission}) should be 403 FORBIDDEN for ${role}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe("what people in each role notice", () => {
  it("keeps a field engineer from changing customers or assigning tickets", async () => {
    const tenant = await createTestTenant(server);
    const fixtures = await buildTenantFixtures(server, tenant);
    const engineer = api(server, tenant.users.field_engineer);

    const readTicket = await engineer.get(`/api/tickets/${fixtures.ids.ticketId}`);
    expect(readTicket.status).toBe(200);
    const createContact = await send(engineer.post("/api/contacts"), find("post", "/api/contacts"), fixtures.ids);
    expect(createContact.status).toBe(403);
    expect(createContact.body.error.code).toBe("FORBIDDEN");
    const assign = await engineer.post(`/api/tickets/${fixtures.ids.ticketId}/assign`).send({ assigneeId: tenant.users.agent.id });
    expect(assign.status).toBe(403);
    expect(assign.body.error.code).toBe("FORBIDDEN");
  });

  it("lets a quality inspector read tickets and customers but not change them", async () => {
    const tenant = await createTestTenant(server);
    const fixtures = await buildTenantFixtures(server, tenant);
    const inspector = api(server, tenant.users.quality_inspector);

    expect((await inspector.get("/api/tickets")).status).toBe(200);
    expect((await inspector.get(`/api/contacts/${fixtures.ids.contactId}`)).status).toBe(200);
    const create = await inspector.post("/api/tickets").send({ subject: "Not mine to open" });
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe("FORBIDDEN");
    const status = await inspector.post(`/api/tickets/${fixtures.ids.ticketId}/status`).send({ status: "open" });
    expect(status.status).toBe(403);
  });

  it("lets a senior agent merge tickets but not an agent", async () => {
    const tenant = await createTestTenant(server);
    const fixtures = await buildTenantFixtures(server, tenant);
    const merge = find("post", "/api/tickets/{ticketId}/merge");
    const url = fillPath(merge, fixtures.ids).url;

    const byAgent = await send(api(server, tenant.users.agent).post(url), merge, fixtures.ids);
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.error.code).toBe("FORBIDDEN");
    const bySenior = await send(api(server, tenant.users.senior_agent).post(url), merge, fixtures.ids);
    expect(bySenior.body.error?.code).not.toBe("FORBIDDEN");
    expect(bySenior.status).toBeLessThan(500);
  });

  it("lets an admin manage users and nobody else", async () => {
    const tenant = await createTestTenant(server);
    const byAdmin = await api(server, tenant.admin).post("/api/users").send({ email: `new.${tenant.slug}@example.test`, name: "王芳", role: "agent", password: "a-long-password" });
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.data).toMatchObject({ name: "王芳", role: "agent", active: true });

    const bySupervisor = await api(server, tenant.users.supervisor).patch(`/api/users/${byAdmin.body.data.id as string}`).send({ role: "admin" });
    expect(bySupervisor.status).toBe(403);
    expect(bySupervisor.body.error.code).toBe("FORBIDDEN");
    const after = await api(server, tenant.users.supervisor).get(`/api/users/${byAdmin.body.data.id as string}`);
    expect(after.body.data.role).toBe("agent");
  });
});
