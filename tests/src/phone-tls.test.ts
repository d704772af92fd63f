import type { Trunk } from "@yixian/contracts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RtpPeer } from "../../telephony/src/media/testing/rtp-peer.ts";
import { selfSignedCert } from "../../telephony/src/sip/interop/test-cert.ts";
import { TEST_TIMERS } from "../../telephony/src/sip/interop/test-peers.ts";
import { getHeader, startSipStack, type IncomingInvite, type SipStack } from "../../telephony/src/sip/index.ts";
import { api, createTestTenant, type TestServer, type TestTenant } from "./harness.ts";
import type { SipDevice } from "@yixian/contracts";
import { CALLER_ID, deviceCredentials, dialer, type Dialer } from "./outbound-kit.ts";
import { callChange, deskPhone, musicOnlyIvr, startPhoneServer, trunkCaller, trunkWithNumber, voiceQueue, type TrunkCaller } from "./phone-kit.ts";
import { PROVIDER_PASSWORD, provider } from "./provider-kit.ts";
import { addUser } from "./routing-kit.ts";

// Trunks whose provider speaks SIP over TLS (issue 11): the server listens on SIP_TLS_PORT with a
// throwaway self-signed certificate, and trusts the provider's own (SIP_TLS_CA). Calls in over TLS
// pass the same allow-list and digest as any other; calls out and the registration at the
// provider go over TLS to our own stack standing in for the provider (Debian's sipp has no TLS),
// and a provider whose certificate is not trusted is never called. Loopback only; TEST_DB's database.
const serverCert = selfSignedCert(["127.0.0.1", "localhost"]);
const providerCert = selfSignedCert(["localhost"]);
let server: TestServer;
let tenant: TestTenant;
let queueId: string;
const closables: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  server = await startPhoneServer({ SIP_TLS_PORT: "0", SIP_TLS_CERT: serverCert.certFile, SIP_TLS_KEY: serverCert.keyFile, SIP_TLS_CA: providerCert.certFile });
  expect(server.phone.calls, server.phone.mediaStatus).not.toBeNull();
  tenant = await createTestTenant(server);
  queueId = await voiceQueue(server, tenant, [await addUser(server, tenant, "李娜")]);
});
afterAll(async () => {
  for (const c of closables) await c.close();
  await server?.stop();
});

let seq = 0;
/** A TLS trunk of the tenant with one number to the queue; the callers wait with music. */
async function tlsTrunk(fields: Record<string, unknown>): Promise<{ id: string; number: string }> {
  seq += 1;
  const number = `+86400${String(Date.now() % 100_000).padStart(5, "0")}${String(seq).padStart(2, "0")}`;
  const created = await api(server, tenant.admin)
    .post("/api/voice/trunks")
    .send({ name: `TLS provider ${seq}`, hosts: ["127.0.0.1"], transport: "tls", dids: [{ number, label: null, queueId }], ...fields });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((created.body.data as Trunk).transport).toBe("tls");
  await musicOnlyIvr(server, tenant, number);
  return { id: (created.body.data as Trunk).id, number };
}

async function callIn(number: string, source: string, credentials?: { username: string; password: string }): Promise<TrunkCaller> {
  const caller = await trunkCaller(server, number, "+8613912345678", { tls: { ca: serverCert.cert, source }, ...(credentials ? { credentials } : {}) });
  closables.push(caller);
  return caller;
}

describe("a provider calling in over TLS", () => {
  it("is admitted from a source on the trunk's allow-list (the caller waits with music), and refused with 403 from any other", async () => {
    const { number } = await tlsTrunk({ allowedSources: ["127.0.0.61"] });
    const waiting = callChange(server, (c) => c.state === "waiting", "the IVR answering");
    const allowed = await callIn(number, "127.0.0.61");
    expect((await allowed.result).status).toBe(200);
    const call = await waiting;
    const ended = callChange(server, (c) => c.sipCallId === call.sipCallId && c.state === "ended", "the caller's hang-up");
    await allowed.hangUp();
    await ended;

    const other = await callIn(number, "127.0.0.62");
    expect((await other.result).status).toBe(403);
    const calls = await server.deps.db.selectFrom("calls").select(["did", "direction"]).where("tenant_id", "=", tenant.id).where("did", "=", number).execute();
    expect(calls).toEqual([{ did: number, direction: "inbound" }]);
  });

  it("with digest credentials: admitted with the right password, refused with a wrong one", async () => {
    const username = `tls-provider-${Date.now()}`;
    const { number } = await tlsTrunk({ allowedSources: [], digest: { username, password: "correct horse battery" } });
    const right = await callIn(number, "127.0.0.63", { username, password: "correct horse battery" });
    expect((await right.result).status).toBe(200);
    await right.hangUp();
    const wrong = await callIn(number, "127.0.0.64", { username, password: "wrong horse battery" });
    expect((await wrong.result).status).toBe(403);
  });
});

interface TlsUas {
  stack: SipStack;
  port: number;
  invites: IncomingInvite[];
  byes: number;
}

/** The provider's switch behind a TLS trunk: our own stack on TLS with `cert`, answering every call. */
async function tlsUas(cert: { cert: string; key: string }): Promise<TlsUas> {
  const rtp = await RtpPeer.open();
  const uas: TlsUas = { stack: undefined as unknown as SipStack, port: 0, invites: [], byes: 0 };
  uas.stack = await startSipStack({
    tls: cert,
    timers: TEST_TIMERS,
    ua: {
      user: "provider",
      onInvite(invite) {
        uas.invites.push(invite);
        invite.accept({ body: Buffer.from(rtp.sdp("21")), contentType: "application/sdp" }).then(
          ({ dialog }) => (dialog.onTerminated = (by) => void (by === "remote" && uas.byes++)),
          () => undefined,
        );
      },
    },
  });
  uas.port = uas.stack.transports.get("tls").local.port;
  closables.push({ close: async () => (await uas.stack.close(), rtp.close()) });
  return uas;
}

/** A tenant of its own with an agent's registered desk phone and a TLS trunk to `host`. */
async function callingOut(host: string): Promise<{ tenant: TestTenant; phone: Dialer }> {
  const t = await createTestTenant(server);
  const agent = await addUser(server, t, "王芳");
  const created = await api(server, t.admin).post("/api/voice/trunks").send({ name: "TLS provider", hosts: [host], transport: "tls", allowedSources: ["127.0.0.1"], callerId: CALLER_ID });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const phone = await dialer(server, await deviceCredentials(server, agent));
  closables.push(phone);
  return { tenant: t, phone };
}

describe("an agent's call out through a TLS trunk", () => {
  it("reaches the provider over TLS (its certificate verified for its name) with the trunk's caller-ID, and the agent's hang-up ends it there", async () => {
    const uas = await tlsUas(providerCert);
    const { phone } = await callingOut(`localhost:${uas.port}`);

    const bridged = callChange(server, (c) => c.direction === "outbound" && c.state === "bridged", "the far end's answer bridged");
    const answer = await phone.dial("13912345678");
    expect(answer.response.status).toBe(200);
    const call = await bridged;
    const invite = uas.invites[0]!;
    expect(invite.flow.transport).toBe("tls");
    expect(invite.request.via[0]?.transport).toBe("TLS");
    expect(invite.request.uri).toMatchObject({ host: "localhost", port: uas.port });
    expect(getHeader(invite.request, "P-Asserted-Identity")).toContain(CALLER_ID);

    const ended = callChange(server, (c) => c.sipCallId === call.sipCallId && c.state === "ended", "the call's end", 20_000);
    await phone.stack.ua.bye(answer.dialog!);
    await ended;
    await vi.waitFor(() => expect(uas.byes).toBe(1), { timeout: 5_000, interval: 50 });
  });

  it("never calls a provider whose certificate it does not trust: the agent hears 503, the call record says why", async () => {
    const untrusted = await tlsUas(selfSignedCert(["127.0.0.1"]));
    const { tenant: other, phone } = await callingOut(`127.0.0.1:${untrusted.port}`);

    const answer = await phone.dial("13912345678");
    expect(answer.response.status).toBe(503);
    expect(untrusted.invites).toHaveLength(0);
    await vi.waitFor(
      async () => {
        const cdr = await server.deps.db.selectFrom("calls").select(["disposition", "hangup_cause"]).where("tenant_id", "=", other.id).executeTakeFirstOrThrow();
        expect(cdr.disposition).toBe("failed");
        expect(cdr.hangup_cause).toMatch(/certificate/i);
      },
      { timeout: 5_000, interval: 50 },
    );
  });
});

describe("a TLS trunk registering at its provider", () => {
  it("registers over TLS with digest and shows registered", async () => {
    const p = await provider({ tls: providerCert });
    closables.push(p);
    const { id } = await tlsTrunk({
      allowedSources: ["127.0.0.1"],
      registration: { registrar: `localhost:${p.port}`, username: "yixian-trunk", password: PROVIDER_PASSWORD, expiresSeconds: 60 },
    });
    await p.until((c) => c.length >= 1 && c[0]!.length === 1, "a registration");
    const done = p.registers.find((r) => getHeader(r, "Authorization") !== undefined)!;
    expect(done.via[0]?.transport).toBe("TLS");
    expect(getHeader(done, "Contact")).toContain(";transport=tls");
    await vi.waitFor(
      async () => {
        const res = await api(server, tenant.admin).get(`/api/voice/trunks/${id}`);
        expect((res.body.data as Trunk).registrationStatus).toMatchObject({ state: "registered", reason: null });
      },
      { timeout: 5_000, interval: 50 },
    );
  });

  it("does not register at a provider whose certificate it does not trust: the trunk shows failing, saying why", async () => {
    const p = await provider({ tls: selfSignedCert(["127.0.0.1"]) });
    closables.push(p);
    const { id } = await tlsTrunk({
      allowedSources: ["127.0.0.1"],
      registration: { registrar: `127.0.0.1:${p.port}`, username: "yixian-trunk", password: PROVIDER_PASSWORD, expiresSeconds: 60 },
    });
    await vi.waitFor(
      async () => {
        const res = await api(server, tenant.admin).get(`/api/voice/trunks/${id}`);
        expect((res.body.data as Trunk).registrationStatus).toMatchObject({ state: "failing", reason: expect.stringMatching(/^503 .*certificate/i) });
      },
      { timeout: 5_000, interval: 50 },
    );
    expect(p.registers).toHaveLength(0);
  });
});

describe("an agent's desk phone over TLS", () => {
  it("registers over TLS and shows as TLS on the device page and in presence; a call offered to the agent rings it over TLS and is answered", async () => {
    const t = await createTestTenant(server);
    const agent = await addUser(server, t, "张伟");
    const queue = await voiceQueue(server, t, [agent]);
    const number = await trunkWithNumber(server, t, queue);
    await musicOnlyIvr(server, t, number);
    const phone = await deskPhone(server, agent, { tls: { ca: serverCert.cert } });
    closables.push(phone);

    const device = (await api(server, agent).get(`/api/users/${agent.id}/sip-device`)).body.data as SipDevice;
    expect(device.server.tlsPort).not.toBeNull();
    expect(device.registrations).toMatchObject([{ transport: "tls" }]);
    const row = await server.deps.db.selectFrom("sip_registrations").select(["transport", "flow"]).where("user_id", "=", agent.id).executeTakeFirstOrThrow();
    expect(row.transport).toBe("tls");
    const presence = (await api(server, t.users.supervisor).get(`/api/presence?queueId=${queue}`)).body.data as { userId: string; phoneRegistered: boolean }[];
    expect(presence.find((p) => p.userId === agent.id)).toMatchObject({ phoneRegistered: true });

    const bridged = callChange(server, (c) => c.state === "bridged" && c.legs.some((l) => l.agentId === agent.id), "the agent's answer bridged");
    const caller = await trunkCaller(server, number, "+8613912345678");
    closables.push(caller);
    const invite = await phone.invite();
    expect(invite.flow.transport).toBe("tls");
    expect(invite.request.via[0]?.transport).toBe("TLS");
    await phone.whenAnswered();
    const call = await bridged;
    const ended = callChange(server, (c) => c.sipCallId === call.sipCallId && (c.state === "after" || c.state === "ended"), "the agent's hang-up");
    await phone.hangUp();
    await ended;
  });
});
