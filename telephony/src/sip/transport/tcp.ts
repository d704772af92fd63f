/** SIP over TCP (RFC 3261 §18): messages framed by Content-Length, connections reused both ways. */
import { connect, createServer, type Socket } from "node:net";
import { errorResponseFor } from "../parser/error-response.ts";
import { StreamFramer } from "../parser/framer.ts";
import { whenBound } from "./bind.ts";
import { Connections, type Connection } from "./connections.ts";
import { receiveBytes } from "./inbound.ts";
import { DEFAULT_BIND_ADDRESS, silentLogger, type Destination, type Flow, type ListenOptions, type Receiver, type Transport } from "./types.ts";

export async function listenTcp(options: ListenOptions, receive: Receiver): Promise<Transport> {
  const address = options.address ?? DEFAULT_BIND_ADDRESS;
  const log = options.log ?? silentLogger;
  const connections = new Connections("tcp:");

  function adopt(socket: Socket): Connection {
    const connection: Connection = {
      id: connections.newId(),
      remote: { address: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 },
      local: { address: socket.localAddress ?? address, port: socket.localPort ?? 0 },
      write: (data) => void socket.write(data),
      close: () => socket.destroy(),
    };
    const flow: Flow = { transport: "tcp", remote: connection.remote, local: connection.local, connectionId: connection.id };
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
            log.warn({ transport: "tcp", remote: `${connection.remote.address}:${connection.remote.port}`, reason: item.error.reason }, `sip: closing a TCP connection: ${item.error.message}`);
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
    socket.on("error", (error) => log.debug({ err: error.message, connection: connection.id }, "sip: TCP connection error"));
    socket.on("close", () => connections.remove(connection));
    connections.add(connection);
    return connection;
  }

  const server = createServer((socket) => adopt(socket));
  server.on("error", (error) => log.warn({ err: error.message }, "sip: TCP server error"));
  await whenBound(server, (done) => server.listen({ host: address, port: options.port ?? 0 }, done));
  const bound = server.address();
  const local = { address, port: typeof bound === "object" && bound ? bound.port : 0 };

  async function open(to: Destination): Promise<Connection> {
    const socket = connect({ host: to.address, port: to.port, localAddress: address });
    await whenBound(socket, (done) => socket.once("connect", done));
    return adopt(socket);
  }

  return {
    name: "tcp",
    reliable: true,
    via: { host: options.publicAddress ?? address, port: local.port },
    local,
    async send(data: Buffer, to: Destination): Promise<Flow> {
      const connection = connections.find(to) ?? (await open(to));
      connection.write(data);
      return { transport: "tcp", remote: connection.remote, local: connection.local, connectionId: connection.id };
    },
    close: () =>
      new Promise<void>((resolve) => {
        connections.closeAll();
        server.close(() => resolve());
      }),
  };
}
