import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunningServer } from "@yixian/server";
import { expect } from "vitest";
import { RtpPeer } from "../../telephony/src/media/testing/rtp-peer.ts";
import { freePort, runSipp, untilBound, type SippRun } from "../../telephony/src/sip/interop/sipp.ts";
import { TEST_TIMERS } from "../../telephony/src/sip/interop/test-peers.ts";
import { register, sipUri, startSipStack, type InviteResult, type SipStack } from "../../telephony/src/sip/index.ts";
import { api, type TestServer, type TestTenant, type TestUser } from "./harness.ts";
import { sipPort } from "./phone-kit.ts";

/** Calls agents place: their phone (our UA over UDP, as a desk phone dials), and sipp as the provider behind the trunk. */

const SIPP_DIR = join(fileURLToPath(new URL(".", import.meta.url)), "sipp");
/** The caller-ID of the trunk these tests dial through (provider-answers.xml checks it). */
export const CALLER_ID = "+864001234567";

export interface SipCredentials {
  username: string;
  realm: string;
  password: string;
}

export interface Dialer {
  rtp: RtpPeer;
  /** INVITE sip:<number>@server with this phone's credentials (answering the server's 407); resolves with the final answer. */
  dial(number: string, options?: { ticketId?: string; password?: string }): Promise<InviteResult>;
  /** REGISTER again with Expires 0: the phone goes offline. */
  unregister(): Promise<void>;
  stack: SipStack;
  close(): Promise<void>;
}

/** The agent's desk-phone credentials (a new password, as the My phone page shows once). */
export async function deviceCredentials(server: TestServer, agent: TestUser): Promise<SipCredentials> {
  const rotated = await api(server, agent).post(`/api/users/${agent.id}/sip-device/password`);
  expect(rotated.status, JSON.stringify(rotated.body)).toBe(201);
  return rotated.body.data as SipCredentials;
}

/** The softphone credentials of the agent's session (what the console registers with). */
export async function sessionCredentials(server: TestServer, agent: TestUser): Promise<SipCredentials> {
  const res = await api(server, agent).get("/api/me/softphone");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as SipCredentials;
}

/** A phone registered over UDP with `creds` that places calls. */
export async function dialer(server: TestServer, creds: SipCredentials): Promise<Dialer> {
  const rtp = await RtpPeer.open();
  const stack = await startSipStack({ udp: { port: 0 }, timers: TEST_TIMERS, ua: { user: creds.username } });
  const port = sipPort(server);
  const destination = { transport: "udp" as const, address: "127.0.0.1", port };
  const aor = { uri: sipUri(creds.realm, { user: creds.username }), params: new Map() };
  const registerFor = (expires: number) =>
    register(stack.ua, { registrar: sipUri("127.0.0.1", { port }), aor, expires, credentials: { username: creds.username, password: creds.password }, destination });
  expect((await registerFor(600)).status).toBe(200);
  return {
    rtp,
    stack,
    async dial(number, options = {}) {
      const outgoing = await stack.ua.invite({
        uri: sipUri("127.0.0.1", { user: number, port }),
        from: aor,
        body: { body: Buffer.from(rtp.sdp("11")), contentType: "application/sdp" },
        headers: options.ticketId ? [{ name: "X-Yixian-Ticket", value: options.ticketId }] : [],
        credentials: { username: creds.username, password: options.password ?? creds.password },
        destination,
      });
      return outgoing.result;
    },
    async unregister() {
      expect((await registerFor(0)).status).toBe(200);
    },
    async close() {
      await stack.close();
      rtp.close();
    },
  };
}

export interface SippProvider {
  port: number;
  done: Promise<SippRun>;
  stop(): void;
}

/** sipp as the provider's switch behind the trunk, for one call: it `answers` (RTP echoed) until our BYE, is `busy`, answers and `hangs-up`, or plays `early-media` (183 with audio) for 4 s before it answers. */
export async function sippProvider(scenario: "answers" | "busy" | "hangs-up" | "early-media"): Promise<SippProvider> {
  const port = await freePort();
  const run = runSipp(["-sf", join(SIPP_DIR, `provider-${scenario}.xml`), "-m", "1", "-i", "127.0.0.1", "-p", String(port), "-mi", "127.0.0.1", "-mp", String(await freePort()), "-rtp_echo"], 45_000);
  const exited = run.done.then((r) => Promise.reject(new Error(`sipp exited (${r.code}) before it was ready:\n${r.output.slice(-1500)}\n${r.errors.slice(-1500)}`)));
  await Promise.race([untilBound(port, "udp", 20_000), exited]);
  exited.catch(() => undefined);
  return { port, done: run.done, stop: run.stop };
}

/** A trunk of the tenant towards `provider` with the caller-ID CALLER_ID. */
export async function outboundTrunk(server: RunningServer, tenant: TestTenant, provider: { port: number }): Promise<string> {
  const created = await api(server, tenant.admin)
    .post("/api/voice/trunks")
    .send({ name: `provider ${provider.port}`, hosts: [`127.0.0.1:${provider.port}`], allowedSources: ["127.0.0.1"], callerId: CALLER_ID });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return (created.body.data as { id: string }).id;
}
