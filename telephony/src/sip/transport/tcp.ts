/** SIP over TCP (RFC 3261 §18): messages framed by Content-Length, connections reused both ways. */
import { connect, createServer } from "node:net";
import { listenStream, opened } from "./stream.ts";
import type { ListenOptions, Receiver, Transport } from "./types.ts";

export function listenTcp(options: ListenOptions, receive: Receiver): Promise<Transport> {
  return listenStream(
    {
      name: "tcp",
      label: "TCP",
      server: (adopt) => createServer(adopt),
      connect: (to, localAddress) => opened(connect({ host: to.address, port: to.port, localAddress }), "connect"),
      defaultPort: 5060,
    },
    options,
    receive,
  );
}
