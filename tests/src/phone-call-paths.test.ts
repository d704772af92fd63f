import { randomUUID } from "node:crypto";
import { createSocket } from "node:dgram";
import { once } from "node:events";
import { connect } from "node:net";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { findInboundNumber, startInboundCall } from "@yixian/server/domain";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { MediaServer } from "../../telephony/src/media/index.ts";
import { sipUri } from "../../telephony/src/sip/index.ts";
import { sippInstalled, SIPP_MISSING } from "../../telephony/src/sip/interop/sipp.ts";
import { createTestTenant, type TestServer, type TestTenant } from "./harness.ts";
import { callChange, deskPhone, musicOnlyIvr, sipPort, sippCall, startPhoneServer, trunkCaller, trunkWithNumber, voiceQueue, type DeskPhone, type TrunkCaller } from "./phone-kit.ts";
import { addUser, makeContact, setPresence } from "./routing-kit.ts";

// The paths of a trunk call besides the straight one (phone-calls.test.ts): an offer not answered
// in time rings the next agent while the caller keeps the music, hold gives the caller music,
// media that cannot be had refuses the call cleanly, and a dead node's calls are closed.
// Real sipp or our own UA as the trunk, desk phones, the server's own rtpengine; TEST_DB's database.
let server: TestServer;
const closables: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  expect(sippInstalled, SIPP_MISSING).toBe(true);
  server = await startPhoneServer({ SIP_TCP_PORT: "0" });
  expect(server.phone.calls, server.phone.mediaStatus).not.toBeNull();
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  for (const c of closables) await c.close();
  await server?.stop();
});

const CALLER = "+8613912345678";

async function phoneOf(agent: Parameters<typeof deskPhone>[1], options: Parameters<typeof deskPhone>[2] = {}): Promise<DeskPhone> {
  const phone = await deskPhone(server, agent, options);
  closables.push(phone);
  return phone;
}

async function callerOf(number: string, options: { sdp?: string } = {}): Promise<TrunkCaller> {
  const caller = await trunkCaller(server, number, CALLER, options);
  closables.push(caller);
  return caller;
}

/** A tenant whose number's callers wait with music only, on a queue of these agents. */
async function hotline(tenant: TestTenant, agents: Parameters<typeof voiceQueue>[2], offerTimeoutSeconds?: number): Promise<{ queueId: string; number: string }> {
  const queueId = await voiceQueue(server, tenant, agents, offerTimeoutSeconds);
  const number = await trunkWithNumber(server, tenant, queueId);
  await musicOnlyIvr(server, tenant, number);
  return { queueId, number };
}

const header = (phone: DeskPhone, n: number, name: string) => phone.invite(n).then((i) => i.request.headers.find((h) => h.name === name)?.value);

describe("an offer not answered in time", () => {
  it("cancels the first agent's ringing phone and rings the next agent, while the caller hears nothing but the music", async () => {
    const tenant = await createTestTenant(server);
    const first = await addUser(server, tenant, "李娜");
    const next = await addUser(server, tenant, "王芳");
    const { number } = await hotline(tenant, [first, next], 1);
    // only the first agent is available when the call comes: the first offer is theirs
    await setPresence(server, next, "away");
    const silent = await phoneOf(first, { answer: false });
    const answering = await phoneOf(next);
    const played = vi.spyOn(MediaServer.prototype, "play");
    const stopped = vi.spyOn(MediaServer.prototype, "stopPlaying");

    const waiting = callChange(server, (c) => c.state === "waiting", "the IVR answering");
    const trunk = await sippCall(server, "hangs-up", number, CALLER);
    const { sipCallId } = await waiting;
    const firstOffer = await header(silent, 1, "X-Yixian-Offer");
    await setPresence(server, next, "available");

    // the offer expires: the first phone's INVITE is cancelled, the next agent's phone rings and answers
    await silent.cancelled(1);
    const stoppedBeforeAnswer = stopped.mock.calls.filter((args) => args[0] === sipCallId).length;
    const bridged = await callChange(server, (c) => c.sipCallId === sipCallId && c.state === "bridged", "the next agent's answer bridged");
    const nextOffer = await header(answering, 1, "X-Yixian-Offer");
    expect(silent.invites).toHaveLength(1);
    expect(bridged.legs).toEqual([
      { offerId: firstOffer, agentId: first.id, state: "ended" },
      { offerId: nextOffer, agentId: next.id, state: "bridged" },
    ]);
    const offers = await server.deps.db.selectFrom("offers").select(["id", "agent_id", "state"]).where("tenant_id", "=", tenant.id).orderBy("created_at").execute();
    expect(offers).toEqual([
      { id: firstOffer, agent_id: first.id, state: "expired" },
      { id: nextOffer, agent_id: next.id, state: "accepted" },
    ]);

    // what the caller heard until the answer: the music, started once, not stopped by the cancelled ring, nothing else played
    expect(played.mock.calls.filter((args) => args[0] === sipCallId).map((args) => args[2])).toEqual([expect.stringMatching(/hold-music\.wav$/)]);
    expect(stoppedBeforeAnswer).toBe(0);

    const ended = callChange(server, (c) => c.sipCallId === sipCallId && c.state === "ended", "the call's end");
    await trunk.go(sipCallId);
    await ended;
    const run = await trunk.done;
    expect(run.code, run.output.slice(-2000)).toBe(0);
    const cdr = await server.deps.db.selectFrom("calls").selectAll().where("sip_call_id", "=", sipCallId).executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ agent_id: next.id, disposition: "answered", hangup_side: "caller" });
  });
});

/** The desk phone's talk (RtpPeer.talk): a µ-law square wave, passed through to the caller unchanged. */
const AGENT_VOICE = Buffer.from(Array.from({ length: 160 }, (_, i) => (Math.floor(i / 10) % 2 ? 0x80 : 0x00)));
const isAgentVoice = (packet: Buffer) => packet.length === 12 + 160 && packet.subarray(12).equals(AGENT_VOICE);

describe("hold", () => {
  it("gives the caller music and keeps the agent's audio from them while the agent's phone holds (re-INVITE sendonly), and the agent back on resume", async () => {
    const tenant = await createTestTenant(server);
    const agent = await addUser(server, tenant, "李娜");
    const { number } = await hotline(tenant, [agent]);
    const phone = await phoneOf(agent);
    const caller = await callerOf(number);
    const bridged = await callChange(server, (c) => c.state === "bridged", "the agent's answer bridged");
    expect((await caller.result).status).toBe(200);
    const { dialog, sendTo } = await phone.whenAnswered();

    // talking: what the agent says reaches the caller
    let mark = caller.rtp.received.length;
    await phone.rtp.talk(sendTo, 25, 0x2222);
    await caller.rtp.until(mark + 20);
    expect(caller.rtp.received.slice(mark).filter(isAgentVoice).length).toBeGreaterThanOrEqual(20);

    // the agent holds: the caller gets music, and none of what the agent's phone still sends
    const held = callChange(server, (c) => c.sipCallId === bridged.sipCallId && c.held, "the hold");
    const hold = await phone.stack.ua.reInvite(dialog, { body: Buffer.from(phone.rtp.sdp("7").replace("a=sendrecv", "a=sendonly")), contentType: "application/sdp" });
    expect(hold.status).toBe(200);
    expect(hold.body.toString()).toMatch(/^a=recvonly\r?$/m);
    await held;
    mark = caller.rtp.received.length;
    await phone.rtp.talk(sendTo, 25, 0x2222);
    await caller.rtp.until(mark + 50);
    const onHold = caller.rtp.received.slice(mark);
    expect(onHold.filter(isAgentVoice)).toHaveLength(0);
    expect(onHold.filter((p) => (p[1]! & 0x7f) === 0).length).toBeGreaterThanOrEqual(50);
    const cdr = () => server.deps.db.selectFrom("calls").selectAll().where("sip_call_id", "=", bridged.sipCallId).executeTakeFirstOrThrow();
    expect((await cdr()).held_since).not.toBeNull();

    // resumed: the music stops and the agent is heard again
    const resumed = callChange(server, (c) => c.sipCallId === bridged.sipCallId && !c.held, "the resume");
    const resume = await phone.stack.ua.reInvite(dialog, { body: Buffer.from(phone.rtp.sdp("7")), contentType: "application/sdp" });
    expect(resume.status).toBe(200);
    await resumed;
    mark = caller.rtp.received.length;
    await phone.rtp.talk(sendTo, 25, 0x2222);
    await caller.rtp.until(mark + 20);
    expect(caller.rtp.received.slice(mark).filter(isAgentVoice).length).toBeGreaterThanOrEqual(20);
    expect((await cdr()).held_since).toBeNull();

    const finished = callChange(server, (c) => c.sipCallId === bridged.sipCallId && c.state === "ended" && c.recordingId !== null, "the call finished and its recording kept");
    await caller.hangUp();
    await finished;
  });
});

/** What a tenant's database holds of calls: conversations, work items and call records. */
async function callRows(tenant: TestTenant) {
  const { db } = server.deps;
  const count = (table: "conversations" | "work_items" | "calls") => db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).where("tenant_id", "=", tenant.id).executeTakeFirstOrThrow().then((r) => Number(r.n));
  return { conversations: await count("conversations"), workItems: await count("work_items"), calls: await count("calls") };
}

describe("a call the media layer cannot take", () => {
  it("answers 488 to SDP rtpengine cannot use, and stores nothing", async () => {
    const tenant = await createTestTenant(server);
    const agent = await addUser(server, tenant, "李娜");
    const { number } = await hotline(tenant, [agent]);
    const sdp = ["v=0", "o=trunk 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 999.1.2.3", "t=0 0", "m=audio 4000 RTP/AVP 8", "a=rtpmap:8 PCMA/8000", ""].join("\r\n");
    const caller = await callerOf(number, { sdp });
    expect((await caller.result).status).toBe(488);
    expect(await callRows(tenant)).toEqual({ conversations: 0, workItems: 0, calls: 0 });
  });

  it("tells a caller whose agent's phone answered with SDP rtpengine cannot use that we are sorry, then hangs up; the call is recorded as missed", async () => {
    const tenant = await createTestTenant(server);
    const agent = await addUser(server, tenant, "李娜");
    const { number } = await hotline(tenant, [agent]);
    await phoneOf(agent, { answerSdp: ["v=0", "o=desk 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 999.1.2.3", "t=0 0", "m=audio 4000 RTP/AVP 8", "a=rtpmap:8 PCMA/8000", ""].join("\r\n") });
    const played = vi.spyOn(MediaServer.prototype, "play");
    const caller = await callerOf(number);
    const { dialog, sendTo } = await caller.result;
    expect(sendTo).not.toBeNull();
    const hungUp = new Promise<string>((resolve) => (dialog!.onTerminated = (by) => resolve(by)));
    const { sipCallId } = await callChange(server, (c) => c.state === "ended", "the call's end", 30_000);

    // the music stopped, the sorry prompt played to the caller, and only then the BYE came
    await caller.rtp.until(1);
    expect(await hungUp).toBe("remote");
    const prompts = played.mock.calls.filter((args) => args[0] === sipCallId).map((args) => String(args[2]));
    expect(prompts.at(-1)).toMatch(/sorry\.wav$/);
    played.mockRestore();
    const cdr = await server.deps.db.selectFrom("calls").selectAll().where("sip_call_id", "=", sipCallId).executeTakeFirstOrThrow();
    // nobody served the caller: the record says missed, ended by the system for the media
    expect(cdr).toMatchObject({ disposition: "missed", hangup_side: "system", hangup_cause: "media failed" });
    const items = await server.deps.db.selectFrom("work_items").select("state").where("tenant_id", "=", tenant.id).execute();
    expect(items.map((i) => i.state)).not.toContain("waiting");
  });
});

/** The server's own rtpengine: the process started with the server's configuration file. */
function rtpenginePid(): number {
  const config = join(server.dataDir, "rtpengine", "rtpengine.conf");
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let cmdline = "";
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (cmdline.split("\0").includes(`--config-file=${config}`)) return Number(pid);
  }
  throw new Error(`no rtpengine runs with ${config}`);
}

describe("rtpengine not answering", () => {
  it("answers 503 to the trunk and stores nothing; once rtpengine answers again the next call is taken", async () => {
    const tenant = await createTestTenant(server);
    const agent = await addUser(server, tenant, "李娜");
    const { number } = await hotline(tenant, [agent]);
    await setPresence(server, agent, "away");
    const pid = rtpenginePid();
    process.kill(pid, "SIGSTOP");
    let caller: TrunkCaller;
    try {
      // stopped ("T" in /proc/<pid>/stat) before the call comes
      await expect.poll(() => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0]).toBe("T");
      caller = await callerOf(number);
      expect((await caller.result).status).toBe(503);
    } finally {
      process.kill(pid, "SIGCONT");
    }
    expect(await callRows(tenant)).toEqual({ conversations: 0, workItems: 0, calls: 0 });

    const waiting = callChange(server, (c) => c.state === "waiting", "the IVR answering");
    const next = await callerOf(number);
    expect((await next.result).status).toBe(200);
    await waiting;
    expect(await callRows(tenant)).toEqual({ conversations: 1, workItems: 1, calls: 1 });
    const finished = callChange(server, (c) => c.state === "ended", "the call's end");
    await next.hangUp();
    await finished;
  });
});

describe("rtpengine restarting", () => {
  it("ends the calls it held: the caller hears we are sorry and gets BYE, the record ends failed, nothing is left open; the next call is taken", async () => {
    const tenant = await createTestTenant(server);
    const agent = await addUser(server, tenant, "李娜");
    const { number } = await hotline(tenant, [agent]);
    await setPresence(server, agent, "away");
    const waiting = callChange(server, (c) => c.state === "waiting", "the IVR answering");
    const caller = await callerOf(number);
    const { dialog } = await caller.result;
    const { sipCallId } = await waiting;
    const hungUp = new Promise<string>((resolve) => (dialog!.onTerminated = (by) => resolve(by)));
    const finished = callChange(server, (c) => c.sipCallId === sipCallId && c.state === "ended", "the call's end", 30_000);

    // rtpengine dies; the server starts it again and fails the calls it had
    const played = vi.spyOn(MediaServer.prototype, "play");
    process.kill(rtpenginePid(), "SIGKILL");
    const heardBefore = caller.rtp.received.length;
    expect(await hungUp).toBe("remote");
    await finished;
    // but first the caller is told: new media through the restarted rtpengine (a re-INVITE), the sorry prompt on it, then BYE
    const prompts = played.mock.calls.filter((args) => args[0] === sipCallId).map((args) => String(args[2]));
    played.mockRestore();
    expect(prompts.at(-1)).toMatch(/sorry\.wav$/);
    expect(caller.rtp.received.length - heardBefore).toBeGreaterThanOrEqual(50);
    const { db } = server.deps;
    const cdr = await db.selectFrom("calls").selectAll().where("sip_call_id", "=", sipCallId).executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ disposition: "failed", hangup_side: "system", hangup_cause: "media server restarted" });
    expect(cdr.ended_at).not.toBeNull();
    const conversations = await db.selectFrom("conversations").select("state").where("tenant_id", "=", tenant.id).execute();
    expect(conversations.map((c) => c.state)).toEqual(["ended"]);
    const items = await db.selectFrom("work_items").select("state").where("tenant_id", "=", tenant.id).execute();
    expect(items.map((i) => i.state)).not.toContain("waiting");

    const next = await callerOf(number);
    expect((await next.result).status).toBe(200);
    const nextFinished = callChange(server, (c) => c.state === "ended", "the next call's end");
    await next.hangUp();
    await nextFinished;
  });
});

describe("the start-up sweep", () => {
  it("closes the calls of a node that is gone: the record ends failed, the conversation ends, nothing waits in the queue", async () => {
    const tenant = await createTestTenant(server);
    const agent = await addUser(server, tenant, "李娜");
    const { queueId, number } = await hotline(tenant, [agent]);
    await setPresence(server, agent, "away");
    const contactId = await makeContact(server, tenant);
    await server.deps.db.insertInto("identities").values({ tenant_id: tenant.id, contact_id: contactId, kind: "phone", value: CALLER, display_value: CALLER }).execute();
    // a node took a call and died: its heartbeat stopped long ago
    const dead = await server.deps.db.insertInto("nodes").values({ id: randomUUID(), heartbeat_at: new Date(Date.now() - 3_600_000) }).returning("id").executeTakeFirstOrThrow();
    const inbound = (await findInboundNumber(server.deps, number))!;
    const started = await startInboundCall(server.deps, { number: inbound, sipCallId: `orphan-${tenant.slug}@trunk`, caller: CALLER, nodeId: dead.id });
    expect(started.queueId).toBe(queueId);

    expect(await server.phone.calls!.sweep()).toBeGreaterThanOrEqual(1);
    const { db } = server.deps;
    const cdr = await db.selectFrom("calls").selectAll().where("id", "=", started.callRecordId).executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ disposition: "failed", hangup_side: "system", hangup_cause: "node restarted" });
    expect(cdr.ended_at).not.toBeNull();
    const conversation = await db.selectFrom("conversations").select("state").where("id", "=", started.conversationId).executeTakeFirstOrThrow();
    expect(conversation.state).toBe("ended");
    const items = await db.selectFrom("work_items").select("state").where("conversation_id", "=", started.conversationId).execute();
    expect(items.map((i) => i.state)).not.toContain("waiting");
    // no call of the tenant is left open
    expect(await db.selectFrom("calls").select("id").where("tenant_id", "=", tenant.id).where("ended_at", "is", null).execute()).toEqual([]);
  });
});

/** A request over `transport` with Via, From, To, Call-ID and CSeq unless `leave` names one to leave out. */
function request(transport: "UDP" | "TCP" | "WS", n: number, o: { method?: string; leave?: string; extra?: string[]; body?: string } = {}): string {
  const method = o.method ?? "OPTIONS";
  const headers = [
    `Via: SIP/2.0/${transport} 127.0.0.1:5999;rport;branch=z9hG4bKbad${transport}${n}`,
    "From: <sip:scanner@example.com>;tag=bad",
    "To: <sip:100@127.0.0.1>",
    `Call-ID: bad-${transport}-${n}`,
    `CSeq: 1 ${method}`,
    "Max-Forwards: 70",
    ...(o.extra ?? []),
  ].filter((h) => !o.leave || !h.startsWith(`${o.leave}:`));
  const body = o.body ?? "";
  const length = o.extra?.some((h) => h.startsWith("Content-Length:")) ? [] : [`Content-Length: ${Buffer.byteLength(body)}`];
  return [`${method} sip:100@127.0.0.1 SIP/2.0`, ...headers, ...length, "", body].join("\r\n");
}

const statusOf = (answer: string) => /^SIP\/2\.0 (\d{3})/.exec(answer)?.[1];

describe("malformed SIP at the running server", () => {
  it("answers 400 over UDP, TCP and WebSocket (513 over TCP for too large), drops garbage, and the call in progress goes on", async () => {
    const tenant = await createTestTenant(server);
    const agent = await addUser(server, tenant, "李娜");
    const { number } = await hotline(tenant, [agent]);
    const phone = await phoneOf(agent);
    const caller = await callerOf(number);
    const { sipCallId } = await callChange(server, (c) => c.state === "bridged", "the agent's answer bridged");
    const { sendTo } = await phone.whenAnswered();

    // UDP: garbage is dropped; a request without Call-ID, or whose Content-Length is past its end, is answered 400
    const udp = createSocket("udp4");
    await new Promise<void>((resolve) => udp.bind(0, "127.0.0.1", resolve));
    const udpPort = sipPort(server);
    const udpAnswer = () => once(udp, "message").then(([m]) => (m as Buffer).toString());
    udp.send(Buffer.from("\x00\xffGET / HTTP/1.1\r\n\r\n"), udpPort, "127.0.0.1");
    let answer = udpAnswer();
    udp.send(request("UDP", 1, { leave: "Call-ID" }), udpPort, "127.0.0.1");
    expect(statusOf(await answer)).toBe("400");
    answer = udpAnswer();
    udp.send(request("UDP", 2, { method: "INVITE", extra: ["Content-Type: application/sdp", "Content-Length: 900"], body: "v=0\r\n" }), udpPort, "127.0.0.1");
    expect(statusOf(await answer)).toBe("400");
    udp.close();

    // TCP: a broken start line gets 400 on the connection, which stays open; a message over the size limit
    // cannot be framed: 513, and the connection is closed
    const tcpPort = server.phone.stack.transports.get("tcp").local.port;
    const tcp = connect(tcpPort, "127.0.0.1");
    await once(tcp, "connect");
    let got = "";
    const answered = new Promise<void>((resolve) => tcp.on("data", (d: Buffer) => ((got += d.toString()), got.includes("\r\n\r\n") && resolve())));
    tcp.write(request("TCP", 3).replace(" SIP/2.0\r\n", " SIP/2.0 extra\r\n"));
    await answered;
    expect(statusOf(got)).toBe("400");
    got = "";
    tcp.write(request("TCP", 4, { extra: ["Content-Length: 1000000"] }));
    await once(tcp, "close");
    expect(statusOf(got)).toBe("513");

    // WebSocket: garbage is dropped, a request without From is answered 400 on the same connection
    const ws = new WebSocket(`ws://127.0.0.1:${new URL(server.url).port}/sip`, "sip");
    await once(ws, "open");
    ws.send(Buffer.from([0x00, 0xff, 0x13, 0x37]));
    const wsAnswer = once(ws, "message").then(([m]) => (m as Buffer).toString());
    ws.send(request("WS", 5, { leave: "From" }));
    expect(statusOf(await wsAnswer)).toBe("400");
    ws.close();

    // nothing else was disturbed: the call is up, the agent still reaches the caller, OPTIONS is answered
    expect(server.phone.calls!.call(sipCallId)?.state).toBe("bridged");
    const mark = caller.rtp.received.length;
    await phone.rtp.talk(sendTo, 25, 0x2222);
    await caller.rtp.until(mark + 20);
    expect(caller.rtp.received.slice(mark).filter(isAgentVoice).length).toBeGreaterThanOrEqual(20);
    const options = await caller.stack.ua.sendRequest("OPTIONS", { uri: sipUri("127.0.0.1", { port: udpPort }), destination: { transport: "udp", address: "127.0.0.1", port: udpPort } });
    expect(options.status).toBe(200);

    const finished = callChange(server, (c) => c.sipCallId === sipCallId && c.state === "ended" && c.recordingId !== null, "the call finished and its recording kept");
    await caller.hangUp();
    await finished;
  });
});
