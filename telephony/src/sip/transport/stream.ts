/**
 * What SIP over TCP and over TLS share (RFC 3261 §18): messages framed by Content-Length,
 * connections reused both ways (a response and the other side's requests go back on the
 * connection they came by), one connection opened per destination however many sends wait for it.
 */
import type { Server, Socket } from "node:net";
import { errorResponseFor } from "../parser/error-response.ts";
import { StreamFramer } from "../parser/framer.ts";
import { whenBound } from "./bind.ts";
import { Connections, type Connection } from "./connections.ts";
import { receiveBytes } from "./inbound.ts";
import { DEFAULT_BIND_ADDRESS, silentLogger, type Destination, type Flow, type ListenOptions, type Receiver, type Transport } from "./types.ts";

export interface StreamKind {
  name: "tcp" | "tls";
  /** For log lines: TCP, TLS. */
  label: string;
  /** A server that calls `adopt` with each accepted socket (TLS: once its handshake is done); none: this side only connects. */
  server: ((adopt: (socket: Socket) => void) => Server) | null;
  /** Opens a connection from `localAddress`; resolves once it can carry SIP (TLS: the peer's certificate verified). */
  connect(to: Destination, localAddress: string): Promise<Socket>;
  /** Via sent-by port when nothing listens (TLS client only). */
  defaultPort: number;
}

export async function listenStream(kind: StreamKind, options: ListenOptions, receive: Receiver): Promise<Transport> {
  const address = options.address ?? DEFAULT_BIND_ADDRESS;
  const log = options.log ?? silentLogger;
  const connections = new Connections(`${kind.name}:`);
  const opening = new Map<string, Promise<Connection>>();

  function adopt(socket: Socket): Connection {
    const connection: Connection = {
      id: connections.newId(),
      remote: { address: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 },
      local: { address: socket.localAddress ?? address, port: socket.localPort ?? 0 },
      write: (data) => void socket.write(data),
      close: () => socket.destroy(),
    };
    const flow: Flow = { transport: kind.name, remote: connection.remote, local: connection.local, connectionId: connection.id };
    const framer = new StreamFramer(options.maxBytes);
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      for (const item of framer.push(chunk)) {
        switch (item.kind) {
          case "message":
            receiveBytes(item.data, flow, { datagram: false, maxBytes: options.maxBytes, log }, receive, connection.write);
            break;
          case "ping":
            connection.write(Buffer.from("\r\n"));
            break;
          case "fatal": {
            // the stream cannot be framed any more (RFC 4475 ncl): answer if it was a request, then close
            log.warn({ transport: kind.name, remote: `${connection.remote.address}:${connection.remote.port}`, reason: item.error.reason }, `sip: closing a ${kind.label} connection: ${item.error.message}`);
            const answer = errorResponseFor(item.head, item.error);
            if (answer) socket.end(answer);
            else socket.destroy();
            break;
          }
          default:
            item satisfies never;
        }
      }
    });
    socket.on("error", (error) => log.debug({ err: error.message, connection: connection.id }, `sip: ${kind.label} connection error`));
    socket.on("close", () => connections.remove(connection));
    connections.add(connection);
    return connection;
  }

  const server = kind.server?.((socket) => adopt(socket)) ?? null;
  let local = { address, port: 0 };
  if (server) {
    server.on("error", (error) => log.warn({ err: error.message }, `sip: ${kind.label} server error`));
    await whenBound(server, (done) => server.listen({ host: address, port: options.port ?? 0 }, done));
    const bound = server.address();
    local = { address, port: typeof bound === "object" && bound ? bound.port : 0 };
  }

  function connection(to: Destination): Promise<Connection> {
    const open = connections.find(to);
    if (open) return Promise.resolve(open);
    const key = `${to.address}|${to.port}|${to.serverName ?? ""}`;
    let pending = opening.get(key);
    if (!pending) {
      pending = kind.connect(to, address).then(adopt);
      opening.set(key, pending);
      const forget = () => opening.delete(key);
      pending.then(forget, forget);
    }
    return pending;
  }

  return {
    name: kind.name,
    reliable: true,
    via: { host: options.publicAddress ?? address, port: server ? local.port : kind.defaultPort },
    local,
    async send(data: Buffer, to: Destination): Promise<Flow> {
      const open = await connection(to);
      open.write(data);
      return { transport: kind.name, remote: open.remote, local: open.local, connectionId: open.id };
    },
    close: () =>
      new Promise<void>((resolve) => {
        connections.closeAll();
        if (server) server.close(() => resolve());
        else resolve();
      }),
  };
}

const CONNECT_TIMEOUT_MS = 10_000;

/** Waits for `event` on a socket being opened; rejects with its first error, or after 10 s (a peer that never finishes a handshake). */
export async function opened(socket: Socket, event: "connect" | "secureConnect"): Promise<Socket> {
  socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error(`no connection after ${CONNECT_TIMEOUT_MS / 1000} s`)));
  try {
    await whenBound(socket, (done) => socket.once(event, done));
  } catch (error) {
    socket.on("error", () => undefined);
    socket.destroy();
    throw error;
  }
  socket.setTimeout(0);
  return socket;
}
