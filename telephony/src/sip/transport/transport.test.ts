import { once } from "node:events";
import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { connect } from "node:net";
import { connect as connectTls } from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { SipMessage } from "../message.ts";
import { selfSignedCert } from "../interop/test-cert.ts";
import { parseUri } from "../parser/uri.ts";
import { uriDestination } from "./destination.ts";
import { listenTcp } from "./tcp.ts";
import { listenTls } from "./tls.ts";
import type { Flow, SipLogger, Transport } from "./types.ts";
import { listenUdp } from "./udp.ts";
import { createWsTransport } from "./ws.ts";

const options = (n: number, transport = "UDP") =>
  [`OPTIONS sip:u@127.0.0.1 SIP/2.0`, `Via: SIP/2.0/${transport} 127.0.0.1:5999;rport;branch=z9hG4bK${n}`, "From: <sip:a@example.com>;tag=1", "To: <sip:u@example.com>", `Call-ID: c${n}`, `CSeq: ${n} OPTIONS`, "Content-Length: 0", "", ""].join("\r\n");
const badinv01 = readFileSync(new URL("../parser/__fixtures__/rfc4475/badinv01.dat", import.meta.url));

/** Collects what a transport hands up, and its log lines. */
function collector() {
  const received: { message: SipMessage; flow: Flow }[] = [];
  const warnings: string[] = [];
  const log: SipLogger = { warn: (_f, m) => warnings.push(m), debug: () => undefined };
  let wake: (() => void) | undefined;
  return {
    received,
    warnings,
    log,
    receive: (message: SipMessage, flow: Flow) => {
      received.push({ message, flow });
      wake?.();
    },
    async count(n: number) {
      while (received.length < n) await new Promise<void>((resolve) => (wake = resolve));
    },
  };
}

const open: Transport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

describe("UDP", () => {
  it("binds 127.0.0.1 unless told otherwise, and marks where a request came from", async () => {
    const c = collector();
    const udp = await listenUdp({ log: c.log }, c.receive);
    open.push(udp);
    expect(udp.local.address).toBe("127.0.0.1");
    const client = createSocket("udp4");
    await new Promise<void>((resolve) => client.bind(0, "127.0.0.1", resolve));
    client.send(options(1), udp.local.port, "127.0.0.1");
    await c.count(1);
    const via = c.received[0]?.message.via[0];
    expect(via?.params.get("rport")).toBe(String(client.address().port));
    client.close();
  });

  it("answers a malformed request with 400, drops garbage with a log line, and keeps working", async () => {
    const c = collector();
    const udp = await listenUdp({ log: c.log }, c.receive);
    open.push(udp);
    const client = createSocket("udp4");
    await new Promise<void>((resolve) => client.bind(0, "127.0.0.1", resolve));
    client.send(Buffer.from("\x00\xffgarbage\r\n\r\n"), udp.local.port, "127.0.0.1");
    client.send(badinv01, udp.local.port, "127.0.0.1");
    const [reply] = (await once(client, "message")) as [Buffer];
    expect(reply.toString()).toMatch(/^SIP\/2\.0 400 Bad Request\r\n[\s\S]*Call-ID: badinv01\.0ha0isndaksdjasdf3234nas\r\n/);
    client.send(options(2), udp.local.port, "127.0.0.1");
    await c.count(1);
    expect(c.received.map((r) => r.message.callId)).toEqual(["c2"]);
    expect(c.warnings).toHaveLength(2);
    client.close();
  });
});

describe("TCP", () => {
  it("frames pipelined and split messages, answers on the same connection", async () => {
    const c = collector();
    const tcp = await listenTcp({ log: c.log }, c.receive);
    open.push(tcp);
    const socket = connect(tcp.local.port, "127.0.0.1");
    await once(socket, "connect");
    const bytes = Buffer.from(options(1, "TCP") + options(2, "TCP") + options(3, "TCP"));
    socket.write(bytes.subarray(0, 100));
    socket.write(bytes.subarray(100));
    await c.count(3);
    expect(c.received.map((r) => r.message.callId)).toEqual(["c1", "c2", "c3"]);
    const flow = c.received[0]?.flow;
    if (!flow) throw new Error("a flow");
    await tcp.send(Buffer.from("SIP/2.0 200 OK\r\n"), { transport: "tcp", ...flow.remote, connectionId: flow.connectionId });
    const [data] = (await once(socket, "data")) as [Buffer];
    expect(data.toString()).toBe("SIP/2.0 200 OK\r\n");
    socket.destroy();
  });

  it("a message it cannot frame gets a 400 and the connection is closed; the server goes on", async () => {
    const c = collector();
    const tcp = await listenTcp({ log: c.log }, c.receive);
    open.push(tcp);
    const socket = connect(tcp.local.port, "127.0.0.1");
    await once(socket, "connect");
    socket.write(readFileSync(new URL("../parser/__fixtures__/rfc4475/ncl.dat", import.meta.url)));
    let answer = "";
    socket.on("data", (d: Buffer) => (answer += d.toString()));
    await once(socket, "close");
    expect(answer).toMatch(/^SIP\/2\.0 400 Bad Request\r\n/);
    expect(c.warnings).toHaveLength(1);
    const again = connect(tcp.local.port, "127.0.0.1");
    await once(again, "connect");
    again.write(options(9, "TCP"));
    await c.count(1);
    again.destroy();
  });
});

describe("WebSocket", () => {
  async function serve() {
    const c = collector();
    const ws = createWsTransport({ log: c.log }, c.receive);
    open.push(ws);
    const http = createHttpServer((_req, res) => res.end("app"));
    const detach = ws.attach(http);
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    const address = http.address();
    const port = typeof address === "object" && address ? address.port : 0;
    return { c, ws, http, port, close: () => (detach(), new Promise((r) => http.close(r))) };
  }

  it("takes SIP messages on /sip with the sip subprotocol, one per WebSocket message, and answers back", async () => {
    const s = await serve();
    const client = new WebSocket(`ws://127.0.0.1:${s.port}/sip`, "sip");
    await once(client, "open");
    expect(client.protocol).toBe("sip");
    client.send(options(1, "WS").replace("Content-Length: 0\r\n", ""));
    await s.c.count(1);
    const flow = s.c.received[0]?.flow;
    expect(flow?.transport).toBe("ws");
    if (!flow) throw new Error("a flow");
    await s.ws.send(Buffer.from("SIP/2.0 200 OK\r\n\r\n"), { transport: "ws", ...flow.remote, connectionId: flow.connectionId });
    const [reply] = (await once(client, "message")) as [Buffer];
    expect(reply.toString()).toBe("SIP/2.0 200 OK\r\n\r\n");
    client.send(badinv01);
    const [refusal] = (await once(client, "message")) as [Buffer];
    expect(refusal.toString()).toMatch(/^SIP\/2\.0 400 /);
    client.close();
    await s.close();
  });

  it("refuses an upgrade without the sip subprotocol, and leaves other paths alone", async () => {
    const s = await serve();
    const noSip = new WebSocket(`ws://127.0.0.1:${s.port}/sip`);
    noSip.on("error", () => undefined);
    const status = await new Promise((resolve) => noSip.on("unexpected-response", (_request, response) => resolve(response.statusCode)));
    expect(status).toBe(400);
    noSip.terminate();
    let otherUpgrade = false;
    s.http.on("upgrade", (request: { url: string }, socket: { destroy(): void }) => {
      if (request.url === "/socket.io/") {
        otherUpgrade = true;
        socket.destroy();
      }
    });
    const other = new WebSocket(`ws://127.0.0.1:${s.port}/socket.io/`, "sip");
    other.on("error", () => undefined);
    await new Promise((resolve) => other.on("close", resolve));
    expect(otherUpgrade).toBe(true);
    expect(s.ws.connectionCount).toBe(0);
    await s.close();
  });
});

describe("TLS", () => {
  const own = selfSignedCert(["127.0.0.1", "localhost"]);

  async function pair() {
    const server = collector();
    const tls = await listenTls({ cert: own.cert, key: own.key, log: server.log }, server.receive);
    open.push(tls);
    return { server, tls, to: { transport: "tls" as const, address: "127.0.0.1", port: tls.local.port } };
  }

  it("connects out to a peer whose certificate it trusts, with Via SIP/2.0/TLS, and is answered on the same connection", async () => {
    const { server, tls, to } = await pair();
    const client = collector();
    const out = await listenTls({ ca: own.cert, log: client.log }, client.receive);
    open.push(out);
    expect(out.via.port).toBe(5061);
    const sent = await out.send(Buffer.from(options(1, "TLS") + options(2, "TLS")), { ...to, serverName: "localhost" });
    await server.count(2);
    expect(server.received.map((r) => r.message.callId)).toEqual(["c1", "c2"]);
    const flow = server.received[0]!.flow;
    expect(flow.transport).toBe("tls");
    expect(flow.remote.port).toBe(sent.local.port);
    const reply = "SIP/2.0 200 OK\r\nVia: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK1\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:u@example.com>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    await tls.send(Buffer.from(reply), { transport: "tls", ...flow.remote, connectionId: flow.connectionId });
    await client.count(1);
    expect(client.received[0]?.message.kind).toBe("response");
    // a second send reuses the connection
    const again = await out.send(Buffer.from(options(3, "TLS")), to);
    expect(again.connectionId).toBe(sent.connectionId);
  });

  it("refuses a peer it cannot trust: a self-signed certificate without the CA, or one for another name", async () => {
    const { server, to } = await pair();
    const untrusting = await listenTls({}, collector().receive);
    open.push(untrusting);
    await expect(untrusting.send(Buffer.from(options(1, "TLS")), to)).rejects.toThrow(/self[- ]signed/i);
    const trusting = await listenTls({ ca: own.cert }, collector().receive);
    open.push(trusting);
    await expect(trusting.send(Buffer.from(options(2, "TLS")), { ...to, serverName: "sip.example.com" })).rejects.toThrow(/sip\.example\.com/);
    expect(server.received).toHaveLength(0);
  });

  it("survives a failed handshake and a message it cannot frame (400, then the connection is closed)", async () => {
    const { server, tls } = await pair();
    const plain = connect(tls.local.port, "127.0.0.1");
    await once(plain, "connect");
    plain.on("error", () => undefined);
    plain.write(options(1, "TCP"));
    await once(plain, "close");
    const socket = connectTls({ host: "127.0.0.1", port: tls.local.port, ca: own.cert });
    await once(socket, "secureConnect");
    socket.write(readFileSync(new URL("../parser/__fixtures__/rfc4475/ncl.dat", import.meta.url)));
    let answer = "";
    socket.on("data", (d: Buffer) => (answer += d.toString()));
    await once(socket, "close");
    expect(answer).toMatch(/^SIP\/2\.0 400 Bad Request\r\n/);
    expect(server.warnings).toHaveLength(1);
    const again = connectTls({ host: "127.0.0.1", port: tls.local.port, ca: own.cert });
    await once(again, "secureConnect");
    again.write(options(9, "TLS"));
    await server.count(1);
    again.destroy();
  });
});

describe("where a URI is sent", () => {
  it("goes over TLS for sips: and ;transport=tls (5061 unless given), checking the certificate for a host name", async () => {
    expect(await uriDestination(parseUri("sips:+8613912345678@127.0.0.1"))).toEqual({ transport: "tls", address: "127.0.0.1", port: 5061 });
    expect(await uriDestination(parseUri("sip:+8613912345678@localhost;transport=tls"))).toEqual({ transport: "tls", address: "127.0.0.1", port: 5061, serverName: "localhost" });
    expect(await uriDestination(parseUri("sip:u@127.0.0.1:5070;transport=TLS"))).toMatchObject({ transport: "tls", port: 5070 });
    expect(await uriDestination(parseUri("sip:u@localhost"), "tls")).toMatchObject({ transport: "tls", port: 5061, serverName: "localhost" });
    expect(await uriDestination(parseUri("sip:u@127.0.0.1"))).toEqual({ transport: "udp", address: "127.0.0.1", port: 5060 });
  });
});
