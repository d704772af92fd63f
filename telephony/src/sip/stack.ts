/** Puts the stack together: transports → transaction layer → UA core. */
import { TransactionLayer, type RequestGate } from "./transaction/layer.ts";
import type { TimerConfig } from "./transaction/timers.ts";
import { listenTcp } from "./transport/tcp.ts";
import { listenTls, type TlsOptions } from "./transport/tls.ts";
import { Transports } from "./transport/transports.ts";
import type { ListenOptions, SipLogger } from "./transport/types.ts";
import { listenUdp } from "./transport/udp.ts";
import { createWsTransport, type WsOptions, type WsTransport } from "./transport/ws.ts";
import { UserAgent, type UserAgentOptions } from "./ua/user-agent.ts";

export interface SipStackOptions {
  /** Each transport runs when given; each binds 127.0.0.1 unless told otherwise. */
  udp?: ListenOptions;
  tcp?: ListenOptions;
  /** TLS: connects out whenever given; listens too when given a certificate and key. */
  tls?: TlsOptions;
  /** WebSocket: attach `stack.ws` to the app's HTTP server. */
  ws?: WsOptions;
  timers?: Partial<TimerConfig>;
  log?: SipLogger;
  ua?: UserAgentOptions;
  /** Asked before a new call or REGISTER gets a transaction (rate limits per source). */
  gate?: RequestGate;
}

export interface SipStack {
  transports: Transports;
  layer: TransactionLayer;
  ua: UserAgent;
  ws: WsTransport | undefined;
  close(): Promise<void>;
}

export async function startSipStack(options: SipStackOptions): Promise<SipStack> {
  const transports = new Transports();
  const layer = new TransactionLayer(transports, { timers: options.timers, log: options.log, gate: options.gate });
  const ua = new UserAgent(layer, options.ua);
  const withLog = <T extends { log?: SipLogger }>(o: T): T => ({ log: options.log, ...o });
  try {
    if (options.udp) transports.add(await listenUdp(withLog(options.udp), layer.receive));
    if (options.tcp) transports.add(await listenTcp(withLog(options.tcp), layer.receive));
    if (options.tls) transports.add(await listenTls(withLog(options.tls), layer.receive));
  } catch (error) {
    await transports.close();
    throw error;
  }
  const ws = options.ws ? createWsTransport(withLog(options.ws), layer.receive) : undefined;
  if (ws) transports.add(ws);
  return {
    transports,
    layer,
    ua,
    ws,
    async close() {
      layer.close();
      await transports.close();
    },
  };
}
