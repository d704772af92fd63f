import type { Deps } from "@yixian/server/domain";
import type { Flow, RequestGate, SipLogger, SipRequest } from "../sip/index.ts";
import { SourceLimiter, type Verdict } from "./source-limiter.ts";

const PASS: Verdict = { kind: "pass" };

/**
 * The rate limit per source on a running server (SIP over UDP and TCP): the SIP stack's gate, and
 * the registrar's failures charged to it.
 */
export interface SourceGate {
  gate: RequestGate;
  registerFailed(request: SipRequest, flow: Flow): void;
  limiter: SourceLimiter;
}

export function createSourceGate(config: Pick<Deps["config"], "sipRateLimit">, log: SipLogger, trusted: { has(address: string): boolean } = { has: () => false }): SourceGate {
  const limiter = new SourceLimiter({
    ...config.sipRateLimit,
    onLimited: ({ source, refusedBefore, droppedBefore }) =>
      log.warn({ source, refusedBefore, droppedBefore }, "sip: a source sends more calls or failed REGISTERs than allowed: 503, then no answer (logged once a minute per source)"),
  });
  return {
    limiter,
    // SIP over WebSocket is the console's softphone on the app's own HTTP server, not what scanners
    // reach; a trunk's own source is the provider's gear, however many calls it sends
    gate: (request, flow) => {
      if (flow.transport === "ws" || trusted.has(flow.remote.address)) return PASS;
      return request.method === "REGISTER" ? limiter.check(flow.remote.address) : limiter.take(flow.remote.address);
    },
    registerFailed: (_request, flow) => {
      if (flow.transport !== "ws" && !trusted.has(flow.remote.address)) limiter.charge(flow.remote.address);
    },
  };
}
