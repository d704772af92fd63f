/**
 * SIP over WebSocket (RFC 7118): one SIP message per WebSocket message, subprotocol `sip`. It listens on
 * nothing itself: `attach(httpServer)` takes the upgrades for its path (e.g. `/sip`) on a server that
 * exists (the app's), and leaves every other upgrade (socket.io) alone.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { DEFAULT_MAX_BYTES } from "../parser/parse-message.ts";
import { Connections, type Connection } from "./connections.ts";
import { receiveBytes } from "./inbound.ts";
import { silentLogger, type Destination, type Flow, type Receiver, type SipLogger, type Transport } from "./types.ts";

export interface WsOptions {
  /** Default `/sip`. */
  path?: string;
  maxBytes?: number;
  log?: SipLogger;
}

export interface WsTransport extends Transport {
  /** Takes this path's upgrades on `server`; answers a function that lets go again. */
  attach(server: Server): () => void;
  /** For a server that routes upgrades itself: true when the request was ours (and is being handled). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  readonly connectionCount: number;
}

function offersSip(request: IncomingMessage): boolean {
  const header = request.headers["sec-websocket-protocol"] ?? "";
  return header.split(",").some((p) => p.trim().toLowerCase() === "sip");
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export function createWsTransport(options: WsOptions, receive: Receiver): WsTransport {
  const path = options.path ?? "/sip";
  const log = options.log ?? silentLogger;
  const connections = new Connections("ws:");
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxBytes ?? DEFAULT_MAX_BYTES, handleProtocols: () => "sip" });
  // RFC 7118 §5.2: our own Via host in requests sent over WebSocket is an invalid domain name
  const viaHost = `${randomBytes(6).toString("hex")}.invalid`;
  let local = { address: "", port: 0 };

  function adopt(ws: WebSocket, request: IncomingMessage): void {
    const remote = { address: request.socket.remoteAddress ?? "", port: request.socket.remotePort ?? 0 };
    local = { address: request.socket.localAddress ?? "", port: request.socket.localPort ?? 0 };
    const connection: Connection = {
      id: connections.newId(),
      remote,
      local,
      write: (data) => ws.send(data.toString("utf8")),
      close: () => ws.terminate(),
    };
    const flow: Flow = { transport: "ws", remote, local, connectionId: connection.id };
    ws.on("message", (data) => {
      const bytes = toBuffer(data);
      if (bytes.every((byte) => byte === 0x0d || byte === 0x0a)) return;
      receiveBytes(bytes, flow, { datagram: true, maxBytes: options.maxBytes, log }, receive, connection.write);
    });
    ws.on("error", (error) => log.debug({ err: error.message, connection: connection.id }, "sip: WebSocket error"));
    ws.on("close", () => connections.remove(connection));
    connections.add(connection);
  }

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = request.url ?? "";
    if (url !== path && !url.startsWith(`${path}?`)) return false;
    if (!offersSip(request)) {
      log.warn({ remote: request.socket.remoteAddress }, "sip: WebSocket upgrade without the sip subprotocol refused");
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return true;
    }
    wss.handleUpgrade(request, socket, head, (ws) => adopt(ws, request));
    return true;
  }

  return {
    name: "ws",
    reliable: true,
    via: { host: viaHost },
    get local() {
      return local;
    },
    get connectionCount() {
      return connections.size;
    },
    handleUpgrade,
    attach(server: Server) {
      const listener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void handleUpgrade(request, socket, head);
      server.on("upgrade", listener);
      return () => server.off("upgrade", listener);
    },
    async send(data: Buffer, to: Destination): Promise<Flow> {
      const connection = connections.find(to);
      if (!connection) throw new Error(`no WebSocket connection to ${to.address}:${to.port}`);
      connection.write(data);
      return { transport: "ws", remote: connection.remote, local: connection.local, connectionId: connection.id };
    },
    close: async () => {
      connections.closeAll();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
