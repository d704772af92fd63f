/**
 * SIP over TLS (RFC 3261 §18, §26.2): SIP over TCP inside TLS, towards providers that want it
 * (port 5061). Out: the provider's certificate is verified against Node's CA store and any extra
 * CA given (a lab provider's own); there is no way to turn verification off. In: listens only
 * when given a certificate and key, which are also shown to a provider that asks for a client
 * certificate.
 */
import { connect as connectTcp, isIP } from "node:net";
import { connect, createServer, rootCertificates, type Server, type TLSSocket } from "node:tls";
import { listenStream, opened } from "./stream.ts";
import type { ListenOptions, Receiver, SipLogger, Transport } from "./types.ts";

export interface TlsOptions extends ListenOptions {
  /** PEM certificate (chain) and private key of this server, also shown to a peer that asks for a client certificate. Without them nothing listens: calls only go out. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** false: do not listen even with a certificate (default: listen when there is one). */
  listen?: boolean;
  /** Extra CA certificates (PEM) trusted besides Node's store, e.g. a self-signed lab provider's. */
  ca?: string | Buffer;
}

const HANDSHAKE_TIMEOUT_MS = 10_000;

function tlsServer(own: { cert: string | Buffer; key: string | Buffer }, adopt: (socket: TLSSocket) => void, log: SipLogger | undefined): Server {
  const server = createServer({ ...own, handshakeTimeout: HANDSHAKE_TIMEOUT_MS }, adopt);
  // a scanner's or a broken peer's handshake: its socket is destroyed, nothing else happens
  server.on("tlsClientError", (error, socket: TLSSocket) => log?.debug({ err: error.message, remote: socket.remoteAddress }, "sip: TLS handshake failed"));
  return server;
}

export function listenTls(options: TlsOptions, receive: Receiver): Promise<Transport> {
  const own = options.cert !== undefined && options.key !== undefined ? { cert: options.cert, key: options.key } : null;
  const ca = options.ca === undefined ? undefined : [...rootCertificates, options.ca.toString()];
  return listenStream(
    {
      name: "tls",
      label: "TLS",
      server: own && options.listen !== false ? (adopt) => tlsServer(own, adopt, options.log) : null,
      connect: (to, localAddress) => {
        const name = to.serverName ?? to.address;
        const socket = connect({
          socket: connectTcp({ host: to.address, port: to.port, localAddress }),
          host: to.address,
          // SNI carries names only; the certificate is checked against the name, else the address
          ...(isIP(name) ? {} : { servername: name }),
          ...(ca ? { ca } : {}),
          ...(own ?? {}),
          rejectUnauthorized: true,
        });
        return opened(socket, "secureConnect");
      },
      defaultPort: 5061,
    },
    options,
    receive,
  );
}
