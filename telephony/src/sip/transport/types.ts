/** What the transaction layer sees of a transport: bytes out to a destination, parsed messages in with their flow. */
import type { SipMessage } from "../message.ts";

export type TransportName = "udp" | "tcp" | "tls" | "ws";

export interface HostPort {
  address: string;
  port: number;
}

/** Where a message came from, and how to answer on the same path. */
export interface Flow {
  transport: TransportName;
  remote: HostPort;
  local: HostPort;
  /** Connection transports: the connection a response or an in-dialog request goes back on. */
  connectionId?: string;
}

export interface Destination extends HostPort {
  transport: TransportName;
  /** Use this connection if it is still open (TCP, WebSocket: a registered softphone is reachable only so). */
  connectionId?: string;
  /** TLS: the host name the peer's certificate must be for (and SNI); without it, its address. */
  serverName?: string;
}

export type Receiver = (message: SipMessage, flow: Flow) => void;

/** pino's shape, so the server's logger plugs in; nothing is logged at info per message. */
export interface SipLogger {
  warn(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

export const silentLogger: SipLogger = { warn: () => undefined, debug: () => undefined };

export interface Transport {
  readonly name: TransportName;
  /** TCP, TLS and WebSocket: no retransmissions, timers that wait for them are zero (RFC 3261 §17). */
  readonly reliable: boolean;
  /** What we write in Via sent-by. */
  readonly via: { host: string; port?: number };
  readonly local: HostPort;
  send(data: Buffer, to: Destination): Promise<Flow>;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Default 127.0.0.1: a public address is something to configure, never a default. */
  address?: string;
  /** Default 0: a free port. */
  port?: number;
  /** The address written in Via and Contact when it differs from the bound one (behind NAT, 0.0.0.0). */
  publicAddress?: string;
  maxBytes?: number;
  log?: SipLogger;
}

export const DEFAULT_BIND_ADDRESS = "127.0.0.1";
