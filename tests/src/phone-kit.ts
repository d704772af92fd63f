import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { CallView } from "../../telephony/src/calls/index.ts";
import { RtpPeer, sdpPort } from "../../telephony/src/media/testing/rtp-peer.ts";
import { freePort, runSipp, SIPP_MISSING, sippInstalled, untilBound, type SippRun } from "../../telephony/src/sip/interop/sipp.ts";
import { TEST_TIMERS } from "../../telephony/src/sip/interop/test-peers.ts";
import { register, sipUri, startSipStack, type Dialog, type IncomingInvite, type SipStack } from "../../telephony/src/sip/index.ts";
import type { RunningServer } from "@yixian/server";
import { api, startTestServer, type TestServer, type TestTenant, type TestUser } from "./harness.ts";
import { makeQueue, setPresence } from "./routing-kit.ts";

/** Phone calls end to end: a server with call media, a trunk for sipp, agents' desk phones. */

const SIPP_DIR = join(fileURLToPath(new URL(".", import.meta.url)), "sipp");

/** The configuration of a server with SIP over UDP and its own rtpengine on RTP ports of its own. */
export function phoneServerEnv(): Record<string, string> {
  const portMin = 20000 + Math.floor(Math.random() * 90) * 100;
  return { SIP_UDP_PORT: "0", RTPENGINE_URL: "own", RTP_PORT_MIN: String(portMin), RTP_PORT_MAX: String(portMin + 99) };
}

/** A server with SIP over UDP and its own rtpengine on ports of its own; `env` adds to its configuration. */
export async function startPhoneServer(env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({ env: { ...phoneServerEnv(), ...env } });
}

/** A phone server for tests that call through sipp: sipp is installed and the server has call media, or the test says why not. */
export async function startCallServer(): Promise<TestServer> {
  expect(sippInstalled, SIPP_MISSING).toBe(true);
  const server = await startPhoneServer();
  expect(server.phone.calls, server.phone.mediaStatus).not.toBeNull();
  return server;
}

export function sipPort(server: RunningServer): number {
  return server.phone.stack.transports.get("udp").local.port;
}

/** The port the server listens for SIP over TLS on (SIP_TLS_PORT). */
export function sipTlsPort(server: RunningServer): number {
  return server.phone.stack.transports.get("tls").local.port;
}

/** Resolves with the first call change that passes `ok`. */
export function callChange(server: Pick<TestServer, "phone">, ok: (call: CallView) => boolean, what: string, timeoutMs = 15_000): Promise<CallView> {
  const calls = server.phone.calls;
  if (!calls) throw new Error("the server has no call controller");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const stop = calls.onChange((call) => {
      if (!ok(call)) return;
      clearTimeout(timer);
      stop();
      resolve(call);
    });
  });
}

let didSeq = 0;
/** A trunk of the tenant that takes calls from 127.0.0.1, with one number routed to a queue. */
export async function trunkWithNumber(server: RunningServer, tenant: TestTenant, queueId: string): Promise<string> {
  didSeq += 1;
  const number = `+86400${String(Date.now() % 100_000).padStart(5, "0")}${String(didSeq).padStart(2, "0")}`;
  const created = await api(server, tenant.admin)
    .post("/api/voice/trunks")
    .send({ name: `trunk ${didSeq}`, hosts: ["127.0.0.1"], allowedSources: ["127.0.0.1"], dids: [{ number, label: null, queueId }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return number;
}

/**
 * The caller waits with nothing but music: no welcome, no announcements, no waiting keys; rates
 * the call afterwards (English prompts, the short ones).
 */
export async function musicOnlyIvr(server: RunningServer, tenant: TestTenant, number: string): Promise<void> {
  const set = await api(server, tenant.admin)
    .put(`/api/voice/numbers/${encodeURIComponent(number)}/ivr`)
    .send({ welcome: false, announceEverySeconds: 0, voicemailKey: null, callbackKey: null, rating: true, language: "en" });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
}

/** A tenant's queue with these agents available in it, whose offers expire after `offerTimeoutSeconds`. */
export async function voiceQueue(server: RunningServer, tenant: TestTenant, agents: TestUser[], offerTimeoutSeconds = 60): Promise<string> {
  const queueId = await makeQueue(server, tenant, agents, { strategy: "least_busy", offerTimeoutSeconds, wrapUpSeconds: 30 });
  for (const agent of agents) await setPresence(server, agent, "available");
  return queueId;
}

export interface DeskPhone {
  stack: SipStack;
  rtp: RtpPeer;
  /** INVITEs that reached the phone, in order. */
  invites: IncomingInvite[];
  /** Resolves once the nth INVITE (1-based) has been cancelled by the caller's side. */
  cancelled(n?: number): Promise<void>;
  /** The dialog of the call it answered, and the port it sends its audio to. */
  answered: { dialog: Dialog; sendTo: number } | null;
  /** Resolves with `answered` once the phone's answer is acknowledged. */
  whenAnswered(): Promise<{ dialog: Dialog; sendTo: number }>;
  /** Resolves with the nth INVITE (1-based) once it has come. */
  invite(n?: number): Promise<IncomingInvite>;
  hangUp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An agent's desk phone built from our own UA and an RTP endpoint: it registers over UDP with the
 * agent's device credentials and (unless `answer` is false) answers every call at once. With
 * `tls` it registers over TLS (SIP_TLS_PORT), trusting `tls.ca`.
 */
export async function deskPhone(server: RunningServer, agent: TestUser, options: { answer?: boolean; answerSdp?: string; tls?: { ca: string } } = {}): Promise<DeskPhone> {
  const rotated = await api(server, agent).post(`/api/users/${agent.id}/sip-device/password`);
  expect(rotated.status, JSON.stringify(rotated.body)).toBe(201);
  const { username, realm, password } = rotated.body.data as { username: string; realm: string; password: string };
  const rtp = await RtpPeer.open();
  const waiters: { n: number; resolve: (i: IncomingInvite) => void }[] = [];
  let answeredNow = (_answered: { dialog: Dialog; sendTo: number }): void => undefined;
  const answered = new Promise<{ dialog: Dialog; sendTo: number }>((resolve) => (answeredNow = resolve));
  const cancels: { promise: Promise<void>; resolve: () => void }[] = [];
  const cancelOf = (n: number) => {
    if (!cancels[n - 1]) {
      let resolve = (): void => undefined;
      const promise = new Promise<void>((r) => (resolve = r));
      cancels[n - 1] = { promise, resolve };
    }
    return cancels[n - 1]!;
  };
  const phone: DeskPhone = {
    stack: undefined as unknown as SipStack,
    rtp,
    invites: [],
    answered: null,
    invite(n = 1) {
      const have = phone.invites[n - 1];
      return have ? Promise.resolve(have) : new Promise((resolve) => waiters.push({ n, resolve }));
    },
    cancelled: (n = 1) => cancelOf(n).promise,
    whenAnswered: () => answered,
    async hangUp() {
      if (phone.answered) await phone.stack.ua.bye(phone.answered.dialog);
    },
    async close() {
      await phone.stack.close();
      rtp.close();
    },
  };
  const { tls } = options;
  phone.stack = await startSipStack({
    ...(tls ? { tls: { ca: tls.ca } } : { udp: { port: 0 } }),
    timers: TEST_TIMERS,
    ua: {
      user: "desk",
      onInvite(invite) {
        phone.invites.push(invite);
        const n = phone.invites.length;
        invite.onCancel = () => cancelOf(n).resolve();
        for (const w of waiters.filter((w) => w.n === n)) w.resolve(invite);
        invite.progress(180);
        if (options.answer === false) return;
        const sendTo = sdpPort(invite.request.body.toString("utf8"));
        invite.accept({ body: Buffer.from(options.answerSdp ?? rtp.sdp("7")), contentType: "application/sdp" }).then(
          ({ dialog }) => {
            phone.answered = { dialog, sendTo };
            answeredNow(phone.answered);
          },
          () => undefined,
        );
      },
    },
  });
  const port = tls ? sipTlsPort(server) : sipPort(server);
  const registered = await register(phone.stack.ua, {
    registrar: sipUri("127.0.0.1", { port, ...(tls ? { params: { transport: "tls" } } : {}) }),
    aor: { uri: sipUri(realm, { user: username }), params: new Map() },
    expires: 600,
    credentials: { username, password },
    destination: { transport: tls ? "tls" : "udp", address: "127.0.0.1", port },
  });
  expect(registered.status).toBe(200);
  return phone;
}

export interface SippTrunk {
  done: Promise<SippRun>;
  /** Tells the sipp call to go on past its `<recvCmd/>` (key the rating, or hang up). */
  go(sipCallId: string): Promise<void>;
  stop(): void;
}

/** sipp as the trunk: calls `number` from `caller` with scenario `rates` or `hangs-up` (tests/src/sipp/), or a scenario file of its own. */
export async function sippCall(server: RunningServer, scenario: "rates" | "hangs-up" | { file: string }, number: string, caller: string): Promise<SippTrunk> {
  const twin = await freePort();
  const run = runSipp([
    `127.0.0.1:${sipPort(server)}`,
    "-sf", typeof scenario === "string" ? join(SIPP_DIR, `trunk-${scenario}.xml`) : scenario.file,
    "-m", "1",
    "-s", number,
    "-key", "caller", caller,
    "-i", "127.0.0.1",
    "-p", String(await freePort()),
    "-mi", "127.0.0.1",
    "-mp", String(await freePort()),
    "-3pcc", `127.0.0.1:${twin}`,
  ], 45_000);
  // sipp binds its twin socket once it runs; if it exits first, say why
  const exited = run.done.then((r) => Promise.reject(new Error(`sipp exited (${r.code}) before it was ready:\n${r.output.slice(-1500)}\n${r.errors.slice(-1500)}`)));
  await Promise.race([untilBound(twin, "tcp", 20_000), exited]);
  exited.catch(() => undefined);
  // one connection carries every command; sipp takes its twin closing as the end of the test, so it stays open until sipp exits
  let socket: Promise<Socket> | null = null;
  const done = run.done.finally(() => void socket?.then((s) => s.destroy(), () => undefined));
  const twinSocket = () =>
    (socket ??= new Promise<Socket>((resolve, reject) => {
      const s = connect(twin, "127.0.0.1", () => resolve(s));
      s.once("error", reject);
    }));
  return {
    done,
    stop: run.stop,
    go: async (sipCallId) => {
      const s = await twinSocket();
      await new Promise<void>((resolve, reject) => s.write(`Call-ID: ${sipCallId}\r\n\x1b`, (err) => (err ? reject(err) : resolve())));
    },
  };
}

/**
 * The end of a rated call with sipp's `rates` scenario: the agent hangs up (`hangUp`), the rating
 * prompt plays, sipp keys 4 and the call ends with its recording kept. Answers that last state,
 * and how long the caller's audio ran: sipp's audio plays from its ACK (`answeredAt`) until it keys
 * (one pcap plays at a time).
 */
export async function agentHangsUpCallerRates(server: RunningServer, trunk: SippTrunk, sipCallId: string, answeredAt: number, hangUp: () => Promise<void>): Promise<{ ended: CallView; soundMs: number }> {
  const after = callChange(server, (c) => c.sipCallId === sipCallId && c.state === "after", "the rating prompt");
  await hangUp();
  await after;
  const finished = callChange(server, (c) => c.sipCallId === sipCallId && c.state === "ended" && c.recordingId !== null, "the recording kept", 20_000);
  const soundMs = Date.now() - answeredAt;
  await trunk.go(sipCallId);
  const ended = await finished;
  const run = await trunk.done;
  expect(run.code, run.output.slice(-2000)).toBe(0);
  return { ended, soundMs };
}

export interface TrunkCaller {
  stack: SipStack;
  /** What the caller hears arrives here; `rtp.talk` is the caller speaking. */
  rtp: RtpPeer;
  /** The INVITE's final response (and the dialog once answered). */
  result: Promise<{ status: number; dialog: Dialog | null; sendTo: number | null }>;
  hangUp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A trunk's caller built from our own UA and an RTP endpoint (where a test needs to hear what
 * the caller hears, or to send an INVITE sipp would not): calls `number` from `caller` over UDP
 * with P-Asserted-Identity, with `sdp` as its offer (default: its RTP endpoint's). With `tls` it
 * calls over TLS from `tls.source`, trusting `tls.ca`, answering a digest challenge with `credentials`.
 */
export async function trunkCaller(
  server: RunningServer,
  number: string,
  caller: string,
  options: { sdp?: string; tls?: { ca: string; source: string }; credentials?: { username: string; password: string } } = {},
): Promise<TrunkCaller> {
  const rtp = await RtpPeer.open();
  const { tls } = options;
  const stack = await startSipStack({ ...(tls ? { tls: { address: tls.source, ca: tls.ca } } : { udp: { port: 0 } }), timers: TEST_TIMERS, ua: { user: "trunk" } });
  const port = tls ? sipTlsPort(server) : sipPort(server);
  let dialog: Dialog | null = null;
  const outgoing = await stack.ua.invite({
    uri: sipUri("127.0.0.1", { user: number, port, ...(tls ? { params: { transport: "tls" } } : {}) }),
    from: { uri: sipUri("127.0.0.1", { user: caller }), params: new Map() },
    headers: [{ name: "P-Asserted-Identity", value: `<sip:${caller}@127.0.0.1>` }],
    body: { body: Buffer.from(options.sdp ?? rtp.sdp("9")), contentType: "application/sdp" },
    destination: { transport: tls ? "tls" : "udp", address: "127.0.0.1", port },
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const result = outgoing.result.then(({ response, dialog: d }) => {
    dialog = d ?? null;
    const ok = response.status >= 200 && response.status < 300;
    return { status: response.status, dialog, sendTo: ok ? sdpPort(response.body.toString("utf8")) : null };
  });
  return {
    stack,
    rtp,
    result,
    async hangUp() {
      if (dialog && dialog.state !== "terminated") await stack.ua.bye(dialog);
    },
    async close() {
      await stack.close();
      rtp.close();
    },
  };
}
