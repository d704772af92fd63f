import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { CallView } from "../../telephony/src/calls/index.ts";
import { RtpPeer, sdpPort } from "../../telephony/src/media/testing/rtp-peer.ts";
import { freePort, runSipp, untilBound, type SippRun } from "../../telephony/src/sip/interop/sipp.ts";
import { TEST_TIMERS } from "../../telephony/src/sip/interop/test-peers.ts";
import { register, sipUri, startSipStack, type Dialog, type IncomingInvite, type SipStack } from "../../telephony/src/sip/index.ts";
import { api, startTestServer, type TestServer, type TestTenant, type TestUser } from "./harness.ts";
import { makeQueue, setPresence } from "./routing-kit.ts";

/** Phone calls end to end: a server with call media, a trunk for sipp, agents' desk phones. */

const SIPP_DIR = join(fileURLToPath(new URL(".", import.meta.url)), "sipp");

/** A server with SIP over UDP and its own rtpengine on ports of its own. */
export async function startPhoneServer(): Promise<TestServer> {
  const portMin = 20000 + Math.floor(Math.random() * 90) * 100;
  return startTestServer({ env: { SIP_UDP_PORT: "0", RTPENGINE_URL: "own", RTP_PORT_MIN: String(portMin), RTP_PORT_MAX: String(portMin + 99) } });
}

export function sipPort(server: TestServer): number {
  return server.phone.stack.transports.get("udp").local.port;
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
export async function trunkWithNumber(server: TestServer, tenant: TestTenant, queueId: string): Promise<string> {
  didSeq += 1;
  const number = `+86400${String(Date.now() % 100_000).padStart(5, "0")}${String(didSeq).padStart(2, "0")}`;
  const created = await api(server, tenant.admin)
    .post("/api/voice/trunks")
    .send({ name: `trunk ${didSeq}`, hosts: ["127.0.0.1"], allowedSources: ["127.0.0.1"], dids: [{ number, label: null, queueId }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return number;
}

/** A tenant's queue with these agents available in it, whose offers expire after `offerTimeoutSeconds`. */
export async function voiceQueue(server: TestServer, tenant: TestTenant, agents: TestUser[], offerTimeoutSeconds = 60): Promise<string> {
  const queueId = await makeQueue(server, tenant, agents, { strategy: "least_busy", offerTimeoutSeconds, wrapUpSeconds: 30 });
  for (const agent of agents) await setPresence(server, agent, "available");
  return queueId;
}

export interface DeskPhone {
  stack: SipStack;
  rtp: RtpPeer;
  /** INVITEs that reached the phone, in order. */
  invites: IncomingInvite[];
  /** The dialog of the call it answered, and the port it sends its audio to. */
  answered: { dialog: Dialog; sendTo: number } | null;
  /** Resolves with the nth INVITE (1-based) once it has come. */
  invite(n?: number): Promise<IncomingInvite>;
  hangUp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An agent's desk phone built from our own UA and an RTP endpoint: it registers over UDP with the
 * agent's device credentials and (unless `answer` is false) answers every call at once.
 */
export async function deskPhone(server: TestServer, agent: TestUser, options: { answer?: boolean } = {}): Promise<DeskPhone> {
  const rotated = await api(server, agent).post(`/api/users/${agent.id}/sip-device/password`);
  expect(rotated.status, JSON.stringify(rotated.body)).toBe(201);
  const { username, realm, password } = rotated.body.data as { username: string; realm: string; password: string };
  const rtp = await RtpPeer.open();
  const waiters: { n: number; resolve: (i: IncomingInvite) => void }[] = [];
  const phone: DeskPhone = {
    stack: undefined as unknown as SipStack,
    rtp,
    invites: [],
    answered: null,
    invite(n = 1) {
      const have = phone.invites[n - 1];
      return have ? Promise.resolve(have) : new Promise((resolve) => waiters.push({ n, resolve }));
    },
    async hangUp() {
      if (phone.answered) await phone.stack.ua.bye(phone.answered.dialog);
    },
    async close() {
      await phone.stack.close();
      rtp.close();
    },
  };
  phone.stack = await startSipStack({
    udp: { port: 0 },
    timers: TEST_TIMERS,
    ua: {
      user: "desk",
      onInvite(invite) {
        phone.invites.push(invite);
        for (const w of waiters.filter((w) => w.n === phone.invites.length)) w.resolve(invite);
        invite.progress(180);
        if (options.answer === false) return;
        const sendTo = sdpPort(invite.request.body.toString("utf8"));
        invite.accept({ body: Buffer.from(rtp.sdp("7")), contentType: "application/sdp" }).then(
          ({ dialog }) => (phone.answered = { dialog, sendTo }),
          () => undefined,
        );
      },
    },
  });
  const port = sipPort(server);
  const registered = await register(phone.stack.ua, {
    registrar: sipUri("127.0.0.1", { port }),
    aor: { uri: sipUri(realm, { user: username }), params: new Map() },
    expires: 600,
    credentials: { username, password },
    destination: { transport: "udp", address: "127.0.0.1", port },
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

/** sipp as the trunk: calls `number` from `caller` with scenario `rates` or `hangs-up` (tests/src/sipp/). */
export async function sippCall(server: TestServer, scenario: "rates" | "hangs-up", number: string, caller: string): Promise<SippTrunk> {
  const twin = await freePort();
  const run = runSipp([
    `127.0.0.1:${sipPort(server)}`,
    "-sf", join(SIPP_DIR, `trunk-${scenario}.xml`),
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
  const sockets: Socket[] = [];
  // sipp takes its twin closing as the end of the test: the socket stays open until sipp exits
  const done = run.done.finally(() => sockets.forEach((s) => s.destroy()));
  return {
    done,
    stop: run.stop,
    go: (sipCallId) =>
      new Promise((resolve, reject) => {
        const socket = connect(twin, "127.0.0.1", () => socket.write(`Call-ID: ${sipCallId}\r\n\x1b`, () => resolve()));
        sockets.push(socket);
        socket.once("error", reject);
      }),
  };
}
