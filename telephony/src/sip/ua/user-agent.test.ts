import { createSocket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { DigestAuthenticator } from "../auth/authenticator.ts";
import { selfSignedCert } from "../interop/test-cert.ts";
import { sdpBody, TEST_TIMERS } from "../interop/test-peers.ts";
import { getHeader } from "../message.ts";
import { parseMessage } from "../parser/parse-message.ts";
import { sipUri } from "../parser/uri.ts";
import { startSipStack, type SipStack, type SipStackOptions } from "../stack.ts";
import type { IncomingInvite } from "./incoming-invite.ts";

const stacks: SipStack[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

async function stack(options: Omit<SipStackOptions, "udp"> = {}): Promise<SipStack> {
  const s = await startSipStack({ udp: { port: 0 }, timers: TEST_TIMERS, ...options });
  stacks.push(s);
  return s;
}

const uriOf = (s: SipStack, user = "bob") => sipUri("127.0.0.1", { user, port: s.transports.get("udp").local.port });

/** Resolves with the next INVITE the stack's UA is handed. */
function nextInvite(options: { onInvite?: (i: IncomingInvite) => void }): Promise<IncomingInvite> {
  return new Promise((resolve) => (options.onInvite = resolve));
}

describe("UA core", () => {
  it("answers OPTIONS (keep-alives) with 200 and what it allows", async () => {
    const a = await stack();
    const b = await stack({ ua: { product: "Yixian" } });
    const response = await a.ua.sendRequest("OPTIONS", { uri: uriOf(b) });
    expect(response.status).toBe(200);
    expect(getHeader(response, "Allow")).toContain("INVITE");
    expect(getHeader(response, "Server")).toBe("Yixian");
  });

  it("CANCEL of a ringing call: the INVITE ends 487, the callee hears of it, the CANCEL gets 200", async () => {
    const a = await stack();
    const bOptions: { onInvite?: (i: IncomingInvite) => void } = {};
    const b = await stack({ ua: bOptions });
    const incoming = nextInvite(bOptions);
    const call = await a.ua.invite({ uri: uriOf(b), body: sdpBody() });
    const invite = await incoming;
    let cancelled = false;
    invite.onCancel = () => (cancelled = true);
    call.onProvisional = (r) => r.status === 180 && call.cancel();
    invite.progress(180);
    const { response, dialog } = await call.result;
    expect(response.status).toBe(487);
    expect(dialog).toBeUndefined();
    expect(cancelled).toBe(true);
    expect(invite.state).toBe("cancelled");
  });

  it("481 for a BYE in a dialog that does not exist, and for a CANCEL that matches nothing", async () => {
    const a = await stack();
    const b = await stack();
    const to = { uri: uriOf(b), params: new Map([["tag", "nosuchdialog"]]) };
    expect((await a.ua.sendRequest("BYE", { uri: uriOf(b), to })).status).toBe(481);
    expect((await a.ua.sendRequest("CANCEL", { uri: uriOf(b) })).status).toBe(481);
  });

  it("re-INVITE (hold) in a dialog: the new offer reaches the other side, the answer comes back, then BYE from the callee", async () => {
    const a = await stack();
    const bOptions: NonNullable<SipStackOptions["ua"]> = {};
    const b = await stack({ ua: bOptions });
    const incoming = nextInvite(bOptions);
    const call = await a.ua.invite({ uri: uriOf(b), body: sdpBody(40_000) });
    const invite = await incoming;
    const accepted = invite.accept(sdpBody(50_000));
    const { response, dialog } = await call.result;
    expect(response.status).toBe(200);
    if (!dialog) throw new Error("a dialog");
    const { dialog: bDialog } = await accepted;

    const offers: string[] = [];
    bOptions.onReInvite = (_dialog, reInvite) => {
      offers.push(reInvite.request.body.toString());
      void reInvite.accept(sdpBody(50_002));
    };
    const held = Buffer.from(sdpBody(40_000).body.toString().replace("a=rtpmap:0 PCMU/8000", "a=rtpmap:0 PCMU/8000\r\na=sendonly"));
    const reInvite = await a.ua.reInvite(dialog, { body: held, contentType: "application/sdp" });
    expect(reInvite.status).toBe(200);
    expect(reInvite.body.toString()).toContain("m=audio 50002");
    expect(offers[0]).toContain("a=sendonly");
    expect(dialog.localSeq).toBe(2);

    const ended = new Promise<string>((resolve) => (dialog.onTerminated = (by) => resolve(by)));
    expect((await b.ua.bye(bDialog)).status).toBe(200);
    expect(await ended).toBe("remote");
    expect(a.ua.dialogCount).toBe(0);
    expect(b.ua.dialogCount).toBe(0);
  });

  it("an INVITE challenged with 407 (a trunk asking for digest) is sent again once with Proxy-Authorization", async () => {
    const a = await stack();
    const trunk = new DigestAuthenticator({ realm: "trunk.test", credentials: { lookup: async (u) => (u === "acme" ? { password: "pw" } : undefined) } });
    const seen: { seq: number; status: number }[] = [];
    const b = await stack({
      ua: {
        onInvite(invite) {
          void trunk.verify(invite.request, "Proxy-Authorization").then((result) => {
            const status = result.ok ? 200 : 407;
            seen.push({ seq: invite.request.cseq.seq, status });
            if (result.ok) void invite.accept(sdpBody()).catch(() => undefined);
            else invite.reject(407, { headers: trunk.challenge(result.stale, "Proxy-Authenticate") });
          });
        },
      },
    });
    const answered = await (await a.ua.invite({ uri: uriOf(b), body: sdpBody(), credentials: { username: "acme", password: "pw" } })).result;
    expect(answered.response.status).toBe(200);
    expect(seen).toEqual([{ seq: 1, status: 407 }, { seq: 2, status: 200 }]);
    const refused = await (await a.ua.invite({ uri: uriOf(b), body: sdpBody(), credentials: { username: "acme", password: "wrong" } })).result;
    expect(refused.response.status).toBe(407);
    expect(seen.slice(2).map((s) => s.status)).toEqual([407, 407]);
  });

  /** A caller on a bare UDP socket that sends what a test tells it to and never ACKs. */
  async function rawCaller(b: SipStack) {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    const port = socket.address().port;
    const target = b.transports.get("udp").local.port;
    const seen: string[] = [];
    const waiters: [string, () => void][] = [];
    socket.on("message", (data: Buffer) => {
      const msg = parseMessage(data, { datagram: true });
      const what = msg.kind === "request" ? msg.method : `${msg.status} ${msg.cseq.method}`;
      seen.push(what);
      if (msg.kind === "request" && msg.method === "BYE") {
        const ok = `SIP/2.0 200 OK\r\n${data.toString().split("\r\n").filter((l) => /^(Via|From|To|Call-ID|CSeq):/.test(l)).join("\r\n")}\r\nContent-Length: 0\r\n\r\n`;
        socket.send(ok, target, "127.0.0.1");
      }
      for (const [expected, wake] of waiters) if (what === expected) wake();
    });
    const send = (method: string, toTag = "") =>
      socket.send(
        [`${method} sip:bob@127.0.0.1:${target} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${method}raw`, "Max-Forwards: 70", "From: <sip:alice@127.0.0.1>;tag=a", `To: <sip:bob@127.0.0.1:${target}>${toTag ? `;tag=${toTag}` : ""}`, "Call-ID: raw", `CSeq: ${method === "INVITE" ? 1 : 2} ${method}`, `Contact: <sip:alice@127.0.0.1:${port}>`, "Content-Length: 0", "", ""].join("\r\n"),
        target,
        "127.0.0.1",
      );
    const until = (what: string) => new Promise<void>((resolve) => (seen.includes(what) ? resolve() : waiters.push([what, resolve])));
    return { seen, send, until, close: () => socket.close() };
  }

  it("a 2xx never ACKed is sent again, then the dialog is ended with BYE (RFC 3261 §13.3.1.4)", async () => {
    const bOptions: NonNullable<SipStackOptions["ua"]> = {};
    const b = await stack({ ua: bOptions, timers: { t1: 10, t2: 40, t4: 50 } });
    const incoming = nextInvite(bOptions);
    const caller = await rawCaller(b);
    caller.send("INVITE");
    const invite = await incoming;
    await expect(invite.accept(sdpBody())).rejects.toThrow("no ACK");
    await caller.until("BYE");
    caller.close();
    expect(caller.seen[0]).toBe("100 INVITE");
    expect(caller.seen.filter((s) => s === "200 INVITE").length).toBeGreaterThan(3);
    expect(caller.seen.at(-1)).toBe("BYE");
  });

  it("a BYE before the ACK (the ACK was lost) ends the call and stops the 2xx", async () => {
    const bOptions: NonNullable<SipStackOptions["ua"]> = {};
    const b = await stack({ ua: bOptions });
    const incoming = nextInvite(bOptions);
    const caller = await rawCaller(b);
    caller.send("INVITE");
    const invite = await incoming;
    const accepted = invite.accept(sdpBody());
    await caller.until("200 INVITE");
    const toTag = invite.transaction.finalResponse?.to.params.get("tag") ?? "";
    caller.send("BYE", toTag);
    const { dialog, ack } = await accepted;
    expect(ack).toBeUndefined();
    expect(dialog.state).toBe("terminated");
    await caller.until("200 BYE");
    caller.close();
    expect(b.ua.dialogCount).toBe(0);
  });
});

describe("UA core over TLS", () => {
  const own = selfSignedCert(["127.0.0.1", "localhost"]);

  it("calls a sips: URI: answered, ACKed and hung up on the one connection, Via saying TLS, both Contacts sips:", async () => {
    const a = await stack({ tls: { ca: own.cert } });
    const bOptions: NonNullable<SipStackOptions["ua"]> = {};
    const b = await stack({ tls: own, ua: bOptions });
    const incoming = nextInvite(bOptions);
    const call = await a.ua.invite({ uri: sipUri("localhost", { user: "bob", port: b.transports.get("tls").local.port, scheme: "sips" }), body: sdpBody() });
    const invite = await incoming;
    expect(invite.flow.transport).toBe("tls");
    expect(invite.request.via[0]?.transport).toBe("TLS");
    expect(getHeader(invite.request, "Contact")).toMatch(/^<sips:/);
    const accepted = invite.accept(sdpBody(50_000));
    const { response, dialog } = await call.result;
    expect(response.status).toBe(200);
    expect(getHeader(response, "Contact")).toMatch(/^<sips:[^>]*:\d+>$/);
    const { dialog: bDialog, ack } = await accepted;
    expect(ack).toBeDefined();
    let ended = false;
    dialog!.onTerminated = () => (ended = true);
    expect((await b.ua.bye(bDialog)).status).toBe(200);
    expect(ended).toBe(true);
  });

  it("does not call a peer whose certificate it does not trust: 503 saying why, nothing reaches the peer", async () => {
    const a = await stack({ tls: {} });
    const bOptions: NonNullable<SipStackOptions["ua"]> = {};
    const b = await stack({ tls: own, ua: bOptions });
    let invited = false;
    bOptions.onInvite = () => (invited = true);
    const call = await a.ua.invite({ uri: sipUri("127.0.0.1", { user: "bob", port: b.transports.get("tls").local.port, params: { transport: "tls" } }), body: sdpBody() });
    const { response } = await call.result;
    expect(response.status).toBe(503);
    expect(response.reason).toMatch(/self[- ]signed certificate/i);
    expect(invited).toBe(false);
  });
});
