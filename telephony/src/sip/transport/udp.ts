/** SIP over UDP (RFC 3261 §18): one message per datagram. */
import { createSocket } from "node:dgram";
import { isIPv6 } from "node:net";
import { whenBound } from "./bind.ts";
import { receiveBytes } from "./inbound.ts";
import { DEFAULT_BIND_ADDRESS, silentLogger, type Destination, type Flow, type ListenOptions, type Receiver, type Transport } from "./types.ts";

const RECEIVE_BUFFER = 4 * 1024 * 1024;

export async function listenUdp(options: ListenOptions, receive: Receiver): Promise<Transport> {
  const address = options.address ?? DEFAULT_BIND_ADDRESS;
  const log = options.log ?? silentLogger;
  const socket = createSocket({ type: isIPv6(address) ? "udp6" : "udp4", recvBufferSize: RECEIVE_BUFFER });
  socket.on("error", (error) => log.warn({ err: error.message }, "sip: UDP socket error"));
  await whenBound(socket, (done) => socket.bind({ address, port: options.port ?? 0 }, done));
  const local = { address, port: socket.address().port };

  const send = (data: Buffer, to: { address: string; port: number }) =>
    new Promise<void>((resolve, reject) => socket.send(data, to.port, to.address, (error) => (error ? reject(error) : resolve())));

  socket.on("message", (data, rinfo) => {
    if (data.every((byte) => byte === 0x0d || byte === 0x0a)) return; // keep-alive
    const flow: Flow = { transport: "udp", remote: { address: rinfo.address, port: rinfo.port }, local };
    receiveBytes(data, flow, { datagram: true, maxBytes: options.maxBytes, log }, receive, (answer) => {
      send(answer, flow.remote).catch((error: Error) => log.warn({ err: error.message }, "sip: could not send over UDP"));
    });
  });

  return {
    name: "udp",
    reliable: false,
    via: { host: options.publicAddress ?? address, port: local.port },
    local,
    async send(data: Buffer, to: Destination): Promise<Flow> {
      await send(data, to);
      return { transport: "udp", remote: { address: to.address, port: to.port }, local };
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
