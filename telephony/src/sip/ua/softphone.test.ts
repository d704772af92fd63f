import { once } from "node:events";
import { createServer } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { sdpBody, TEST_TIMERS } from "../interop/test-peers.ts";
import type { SipMessage } from "../message.ts";
import { parseMessage } from "../parser/parse-message.ts";
import { parseUri } from "../parser/uri.ts";
import { Registrar } from "../registrar/registrar.ts";
import { MemoryRegistrarStore } from "../registrar/store.ts";
import { startSipStack } from "../stack.ts";

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A browser softphone's side of SIP over WebSocket, by hand: what JsSIP would send. */
async function softphone(port: number) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/sip`, "sip");
  await once(socket, "open");
  const inbox: SipMessage[] = [];
  const waiters: [(m: SipMessage) => boolean, (m: SipMessage) => void][] = [];
  socket.on("message", (data: Buffer) => {
    const message = parseMessage(data, { datagram: true });
    inbox.push(message);
    for (const [match, wake] of waiters) if (match(message)) wake(message);
  });
  const next = (match: (m: SipMessage) => boolean) =>
    new Promise<SipMessage>((resolve) => {
      const seen = inbox.find(match);
      if (seen) resolve(seen);
      else waiters.push([match, resolve]);
    });
  cleanups.push(() => socket.close());
  return { send: (lines: string[]) => socket.send(lines.join("\r\n")), next };
}

describe("SIP over WebSocket through the stack (the console softphone's path)", () => {
  it("a softphone registers over WebSocket, and a call to its binding comes back on the same connection", async () => {
    const store = new MemoryRegistrarStore();
    const stack = await startSipStack({ ws: {}, timers: TEST_TIMERS, ua: { registrar: new Registrar({ store }) } });
    const http = createServer();
    const detach = stack.ws!.attach(http);
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    cleanups.push(() => stack.close(), () => new Promise((resolve) => http.close(resolve)), detach);
    const port = (http.address() as { port: number }).port;

    const phone = await softphone(port);
    phone.send([
      "REGISTER sip:yixian.test SIP/2.0",
      "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKreg1",
      "Max-Forwards: 70",
      "From: <sip:1001@yixian.test>;tag=f1",
      "To: <sip:1001@yixian.test>",
      "Call-ID: ws-reg-1",
      "CSeq: 1 REGISTER",
      "Contact: <sip:r1@df7jal23ls0d.invalid;transport=ws>;expires=600",
      "Content-Length: 0",
      "",
      "",
    ]);
    const registered = await phone.next((m) => m.kind === "response" && m.cseq.method === "REGISTER");
    expect(registered.kind === "response" && registered.status).toBe(200);
    const [binding] = await store.list("sip:1001@yixian.test");
    expect(binding?.flow?.transport).toBe("ws");

    const call = await stack.ua.invite({
      uri: parseUri(binding!.contact),
      body: sdpBody(),
      destination: { transport: "ws", ...binding!.flow!.remote, connectionId: binding!.flow!.connectionId },
    });
    const invite = await phone.next((m) => m.kind === "request" && m.method === "INVITE");
    expect(invite.via[0]).toMatchObject({ transport: "WS" });
    expect(invite.via[0]?.host).toMatch(/\.invalid$/);
    const copy = (name: string, value: string) => `${name}: ${value}`;
    phone.send([
      "SIP/2.0 200 OK",
      ...invite.via.map((v) => copy("Via", `SIP/2.0/WS ${v.host};branch=${v.params.get("branch")}${v.params.has("rport") ? ";rport" : ""}`)),
      `From: <sip:yixian@${invite.from.uri.kind === "sip" ? invite.from.uri.host : ""}>;tag=${invite.from.params.get("tag")}`,
      "To: <sip:r1@df7jal23ls0d.invalid;transport=ws>;tag=phone1",
      `Call-ID: ${invite.callId}`,
      "CSeq: 1 INVITE",
      "Contact: <sip:r1@df7jal23ls0d.invalid;transport=ws>",
      "Content-Type: application/sdp",
      `Content-Length: ${sdpBody(41_000).body.length}`,
      "",
      sdpBody(41_000).body.toString(),
    ]);
    const { response, dialog } = await call.result;
    expect(response.status).toBe(200);
    const ack = await phone.next((m) => m.kind === "request" && m.method === "ACK");
    expect(ack.callId).toBe(invite.callId);
    expect(dialog?.flow?.connectionId).toBe(binding!.flow!.connectionId);
  });
});
