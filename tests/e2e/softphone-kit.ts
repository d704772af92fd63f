import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import type { IncomingMessage } from "node:http";
import type { Page } from "playwright-core";
import { sipRegistrationsByUsername } from "@yixian/server/domain";
import type { RunningServer } from "@yixian/server";
import { expect } from "vitest";
import { api, createTestTenant, type TestTenant, type TestUser } from "../src/harness.ts";
import { signIn } from "./support.ts";
import { DtmfListener, MediaServer, NgClient, RtpengineProcess, rtpengineInstalled, type DtmfDigit } from "../../telephony/src/media/index.ts";
import { freeUdpPort } from "../../telephony/src/media/testing/rtp-peer.ts";
import { parseUri, type Dialog, type Flow, type IncomingInvite, type RegisterHandler, type SipRequest, type UserAgent, type UserAgentOptions } from "../../telephony/src/sip/index.ts";

/**
 * The softphone tests' other side: a real rtpengine (Debian rtpengine-daemon, userspace) on free
 * ports, the server's own SIP stack (its UA sends the INVITE down the browser's WebSocket), and
 * test hooks on that UA for what the call controller (telephony/src/calls, next) will own:
 * re-INVITEs, new INVITEs from the browser, REGISTERs seen.
 */

export interface MediaStage {
  media: MediaServer;
  /** The next key rtpengine reports for a call (RFC 2833 from any party). */
  nextDigit(callId: string): Promise<DtmfDigit>;
  close(): Promise<void>;
}

export async function startMedia(): Promise<MediaStage> {
  expect(rtpengineInstalled(), "rtpengine is not installed: run scripts/test-services.sh").toBe(true);
  const dir = mkdtempSync(join(tmpdir(), "yx-softphone-"));
  const digits: DtmfDigit[] = [];
  const waiters: { callId: string; resolve: (d: DtmfDigit) => void }[] = [];
  const dtmfPort = await freeUdpPort();
  const dtmf = new DtmfListener(dtmfPort, (digit) => {
    const waiter = waiters.find((w) => w.callId === digit.callId);
    if (waiter) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(digit);
    } else digits.push(digit);
  });
  await dtmf.ready;
  const ngPort = await freeUdpPort();
  const portMin = 40000 + Math.floor(Math.random() * 200) * 100;
  const rtpengine = new RtpengineProcess({ workDir: dir, ngPort, dtmfPort, portMin, portMax: portMin + 99 });
  await rtpengine.start();
  const ng = new NgClient({ host: "127.0.0.1", port: ngPort });
  return {
    media: new MediaServer(ng),
    nextDigit: (callId) => {
      const seen = digits.find((d) => d.callId === callId);
      if (seen) {
        digits.splice(digits.indexOf(seen), 1);
        return Promise.resolve(seen);
      }
      return new Promise((resolve) => waiters.push({ callId, resolve }));
    },
    async close() {
      await ng.close();
      await rtpengine.stop();
      await dtmf.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The options object the server's UA was made with (its handlers), for the hooks below. */
function uaOptions(ua: UserAgent): UserAgentOptions {
  return (ua as unknown as { options: UserAgentOptions }).options;
}

/** Test hook: the server UA's re-INVITEs (hold, resume) go to `handler` until the returned function is called. */
export function onReInvite(ua: UserAgent, handler: (dialog: Dialog, invite: IncomingInvite) => void): () => void {
  const options = uaOptions(ua);
  const before = options.onReInvite;
  options.onReInvite = handler;
  return () => {
    options.onReInvite = before;
  };
}

/** Test hook: new INVITEs reaching the server (the softphone dialling out) go to `handler`. */
export function onInvite(ua: UserAgent, handler: (invite: IncomingInvite) => void): () => void {
  const options = uaOptions(ua);
  const before = options.onInvite;
  options.onInvite = handler;
  return () => {
    options.onInvite = before;
  };
}

/** Test hook: every REGISTER the server's registrar is handed, in order (it still handles them). */
export function watchRegisters(ua: UserAgent): { seen: SipRequest[]; stop(): void } {
  const options = uaOptions(ua);
  const registrar = options.registrar!;
  const seen: SipRequest[] = [];
  const watching: RegisterHandler = {
    register: (request, transaction) => {
      seen.push(request);
      registrar.register(request, transaction);
    },
  };
  options.registrar = watching;
  return {
    seen,
    stop: () => {
      options.registrar = registrar;
    },
  };
}

/** The connections upgraded to /sip on the server from now on (to cut one, as a network drop would). */
export function watchSipSockets(server: RunningServer): { sockets: Socket[]; stop(): void } {
  const sockets: Socket[] = [];
  const listener = (request: IncomingMessage, socket: Duplex) => {
    if (request.url?.startsWith("/sip")) sockets.push(socket as Socket);
  };
  server.http.on("upgrade", listener);
  return { sockets, stop: () => server.http.off("upgrade", listener) };
}

export interface Binding {
  contact: string;
  sessionId: string | null;
  flow: Flow;
  userAgent: string | null;
}

/** The softphone's live WebSocket binding in the database. */
export async function wsBinding(server: RunningServer, username: string): Promise<Binding> {
  const bindings = (await sipRegistrationsByUsername(server.deps, username)).filter((b) => b.transport === "ws");
  expect(bindings, `the WebSocket bindings of ${username}`).toHaveLength(1);
  const [b] = bindings;
  return { contact: b!.contact, sessionId: b!.sessionId, flow: JSON.parse(b!.flow) as Flow, userAgent: b!.userAgent };
}

/** Sends an INVITE from the server's UA down the browser's WebSocket, as the call controller will ring an agent. */
export async function inviteBrowser(
  server: RunningServer,
  binding: Binding,
  o: { sdp: string; from: string; headers: { name: string; value: string }[]; callId?: string },
) {
  const callId = o.callId ?? `softphone-${randomUUID()}`;
  const call = await server.phone.stack.ua.invite({
    uri: parseUri(binding.contact),
    callId,
    from: { uri: parseUri(`sip:${o.from}@${server.deps.config.sipRealm}`), params: new Map() },
    body: { body: Buffer.from(o.sdp), contentType: "application/sdp" },
    headers: o.headers,
    destination: { transport: "ws", address: binding.flow.remote.address, port: binding.flow.remote.port, connectionId: binding.flow.connectionId },
  });
  return { callId, call };
}

/** An SDP answer for `peerSdp` in the direction that answers `offer`'s (RFC 3264 §6.1). */
export function answerDirection(offer: string, peerSdp: string): string {
  const direction = /a=(sendonly|recvonly|inactive|sendrecv)/.exec(offer)?.[1] ?? "sendrecv";
  const answer = { sendonly: "recvonly", recvonly: "sendonly", inactive: "inactive", sendrecv: "sendrecv" }[direction]!;
  return peerSdp.replace("a=sendrecv", `a=${answer}`);
}

/** Keeps every RTCPeerConnection the page makes, so that the test can read its statistics. */
export async function recordPeerConnections(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Original = window.RTCPeerConnection;
    const made: RTCPeerConnection[] = [];
    (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections = made;
    window.RTCPeerConnection = class extends Original {
      constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
        super(...args);
        made.push(this);
      }
    };
  });
}

/** RTP packets the page's last peer connection has received and sent (inbound-rtp, outbound-rtp). */
export async function browserRtp(page: Page): Promise<{ received: number; sent: number }> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const pc = pcs[pcs.length - 1];
    if (!pc) return { received: 0, sent: 0 };
    let received = 0;
    let sent = 0;
    (await pc.getStats()).forEach((s: { type: string; kind?: string; packetsReceived?: number; packetsSent?: number }) => {
      if (s.type === "inbound-rtp" && s.kind === "audio") received += s.packetsReceived ?? 0;
      if (s.type === "outbound-rtp" && s.kind === "audio") sent += s.packetsSent ?? 0;
    });
    return { received, sent };
  });
}

export interface Desk {
  tenant: TestTenant;
  agent: TestUser;
  queueId: string;
  contactId: string;
  companyName: string;
}

/** A tenant with a voice queue of its agent (offers wait 5 minutes) and a known caller, 王建国 of a company. */
export async function desk(server: RunningServer, caller: string): Promise<Desk> {
  const tenant = await createTestTenant(server, "云账房");
  const admin = api(server, tenant.admin);
  const agent = tenant.users.agent;
  const queue = await admin.post("/api/queues").send({ name: "售后热线", memberIds: [agent.id] });
  expect(queue.status, JSON.stringify(queue.body)).toBe(201);
  const queueId = queue.body.data.id as string;
  expect((await admin.patch(`/api/queues/${queueId}/routing`).send({ offerTimeoutSeconds: 300 })).status).toBe(200);
  const companyName = `华东电气 ${tenant.slug}`;
  const company = await admin.post("/api/companies").send({ name: companyName, servicePack: "vip", serviceExpiresOn: new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10) });
  expect(company.status, JSON.stringify(company.body)).toBe(201);
  const contact = await admin.post("/api/contacts").send({ name: "王建国", companyId: company.body.data.id, identities: [{ kind: "phone", value: caller }] });
  expect(contact.status, JSON.stringify(contact.body)).toBe(201);
  return { tenant, agent, queueId, contactId: contact.body.data.id as string, companyName };
}

/** Signs the agent in on a console page that records its peer connections, and waits for the phone to register. */
export async function softphoneConsole(
  openConsole: (viewport?: { width: number; height: number }, locale?: string) => Promise<Page>,
  server: RunningServer,
  agent: TestUser,
  locale = "en-US",
  viewport?: { width: number; height: number },
): Promise<Page> {
  const page = await openConsole(viewport, locale);
  await recordPeerConnections(page);
  await page.context().grantPermissions(["microphone"], { origin: server.url });
  await page.reload();
  await signIn(page, agent);
  await page.locator('.phone-bar[data-softphone-state="registered"]').waitFor();
  return page;
}

/** Waits until an <audio> has read a recording's header through the attachment route, and gives its duration in seconds. */
export async function loadedDuration(page: Page, selector: string): Promise<number> {
  const audio = page.locator(selector).first();
  await audio.evaluate((el: HTMLAudioElement) => {
    if (el.readyState >= 1) return;
    el.preload = "metadata";
    el.load();
    return new Promise<void>((resolve, reject) => {
      el.addEventListener("loadedmetadata", () => resolve(), { once: true });
      el.addEventListener("error", () => reject(new Error(`the recording did not load: ${el.error?.message ?? el.error?.code}`)), { once: true });
    });
  });
  return audio.evaluate((el: HTMLAudioElement) => el.duration);
}
