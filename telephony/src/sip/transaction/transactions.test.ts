import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRequest, createResponse, newBranch } from "../build.ts";
import type { SipRequest, SipResponse } from "../message.ts";
import { sipUri } from "../parser/uri.ts";
import type { Destination, Flow } from "../transport/types.ts";
import { ClientInviteTransaction } from "./client-invite.ts";
import { ClientNonInviteTransaction } from "./client-non-invite.ts";
import { ServerInviteTransaction } from "./server-invite.ts";
import { ServerNonInviteTransaction } from "./server-non-invite.ts";
import type { TransactionContext } from "./transaction.ts";

const T = { t1: 500, t2: 4000, t4: 5000 };
const to: Destination = { transport: "udp", address: "127.0.0.1", port: 5070 };
const flow: Flow = { transport: "udp", remote: { address: "127.0.0.1", port: 5070 }, local: { address: "127.0.0.1", port: 5060 } };

function request(method: string): SipRequest {
  return createRequest({
    method,
    uri: sipUri("example.com", { user: "bob" }),
    via: { protocol: "SIP/2.0", transport: "UDP", host: "127.0.0.1", port: 5070, params: new Map([["branch", newBranch()]]) },
    from: { uri: sipUri("example.com", { user: "alice" }), params: new Map([["tag", "a1"]]) },
    to: { uri: sipUri("example.com", { user: "bob" }), params: new Map() },
    callId: "call-1",
    seq: 1,
  });
}

/** A context that records what is sent (as the first line) and when. */
function context() {
  const sent: { at: number; line: string }[] = [];
  const terminated: string[] = [];
  const ctx: TransactionContext = {
    timers: T,
    log: { warn: () => undefined, debug: () => undefined },
    send: async (data) => {
      sent.push({ at: Date.now(), line: data.toString().split("\r\n")[0] ?? "" });
      return flow;
    },
    terminated: (key) => terminated.push(key),
  };
  return { ctx, sent, terminated };
}

function user() {
  const responses: number[] = [];
  let timedOut = false;
  return {
    responses,
    get timedOut() {
      return timedOut;
    },
    tu: { response: (r: SipResponse) => responses.push(r.status), timeout: () => (timedOut = true), transportError: () => undefined },
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("INVITE client transaction", () => {
  it("retransmits at T1, 2T1, 4T1… until a provisional, and times out at 64·T1 without one", async () => {
    const { ctx, sent } = context();
    const u = user();
    new ClientInviteTransaction(request("INVITE"), to, ctx, false, u.tu).start();
    await vi.advanceTimersByTimeAsync(64 * T.t1);
    expect(sent.map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(u.timedOut).toBe(true);
  });

  it("ACKs a failure itself, and again for each retransmitted failure; the user hears it once", async () => {
    const { ctx, sent } = context();
    const u = user();
    const invite = request("INVITE");
    const tx = new ClientInviteTransaction(invite, to, ctx, false, u.tu);
    tx.start();
    tx.receive(createResponse(invite, 180, { toTag: "b1" }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toHaveLength(1); // no retransmission once ringing
    const busy = createResponse(invite, 486, { toTag: "b1" });
    tx.receive(busy);
    tx.receive(busy);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.line)).toEqual(["INVITE sip:bob@example.com SIP/2.0", "ACK sip:bob@example.com SIP/2.0", "ACK sip:bob@example.com SIP/2.0"]);
    expect(u.responses).toEqual([180, 486]);
    expect(tx.currentState).toBe("completed");
    await vi.advanceTimersByTimeAsync(32_000);
    expect(tx.currentState).toBe("terminated");
  });

  it("passes every 2xx up (RFC 6026 Accepted) and sends no ACK for them itself", async () => {
    const { ctx, sent } = context();
    const u = user();
    const invite = request("INVITE");
    const tx = new ClientInviteTransaction(invite, to, ctx, false, u.tu);
    tx.start();
    tx.receive(createResponse(invite, 200, { toTag: "b1" }));
    tx.receive(createResponse(invite, 200, { toTag: "b1" }));
    expect(u.responses).toEqual([200, 200]);
    expect(sent).toHaveLength(1);
    expect(tx.currentState).toBe("accepted");
    await vi.advanceTimersByTimeAsync(64 * T.t1);
    expect(tx.currentState).toBe("terminated");
  });

  it("over a reliable transport sends once", async () => {
    const { ctx, sent } = context();
    new ClientInviteTransaction(request("INVITE"), { ...to, transport: "tcp" }, ctx, true, user().tu).start();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sent).toHaveLength(1);
  });
});

describe("non-INVITE client transaction", () => {
  it("retransmits doubling up to T2, every T2 once a provisional came, and times out at 64·T1", async () => {
    const { ctx, sent } = context();
    const u = user();
    const bye = request("BYE");
    const tx = new ClientNonInviteTransaction(bye, to, ctx, false, u.tu);
    tx.start();
    await vi.advanceTimersByTimeAsync(12_000);
    expect(sent.map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 11500]);
    tx.receive(createResponse(bye, 100));
    await vi.advanceTimersByTimeAsync(64 * T.t1 - 12_000);
    expect(sent.at(-1)?.at).toBe(31500);
    expect(u.timedOut).toBe(true);
  });

  it("absorbs retransmitted finals for T4 after the first", async () => {
    const { ctx } = context();
    const u = user();
    const options = request("OPTIONS");
    const tx = new ClientNonInviteTransaction(options, to, ctx, false, u.tu);
    tx.start();
    tx.receive(createResponse(options, 200, { toTag: "x" }));
    tx.receive(createResponse(options, 200, { toTag: "x" }));
    expect(u.responses).toEqual([200]);
    await vi.advanceTimersByTimeAsync(T.t4);
    expect(tx.currentState).toBe("terminated");
  });
});

describe("INVITE server transaction", () => {
  it("sends 100 at once and the last provisional again for a retransmitted INVITE", async () => {
    const { ctx, sent } = context();
    const invite = request("INVITE");
    const tx = new ServerInviteTransaction(invite, flow, ctx);
    tx.start();
    tx.respond(createResponse(invite, 180, { toTag: "b" }));
    tx.receive(invite);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.line)).toEqual(["SIP/2.0 100 Trying", "SIP/2.0 180 Ringing", "SIP/2.0 180 Ringing"]);
  });

  it("retransmits a failure (Timer G) until the ACK, then absorbs for T4", async () => {
    const { ctx, sent } = context();
    const invite = request("INVITE");
    const tx = new ServerInviteTransaction(invite, flow, ctx);
    tx.start();
    tx.respond(createResponse(invite, 486, { toTag: "b" }));
    await vi.advanceTimersByTimeAsync(6000);
    expect(sent.filter((s) => s.line.includes("486")).map((s) => s.at)).toEqual([0, 500, 1500, 3500]);
    tx.receive({ ...invite, method: "ACK", cseq: { seq: 1, method: "ACK" } });
    expect(tx.currentState).toBe("confirmed");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent.filter((s) => s.line.includes("486"))).toHaveLength(4);
    expect(tx.currentState).toBe("terminated");
  });

  it("without an ACK gives up at 64·T1 (Timer H) and says so", async () => {
    const { ctx } = context();
    const invite = request("INVITE");
    const tx = new ServerInviteTransaction(invite, flow, ctx);
    let noAck = false;
    tx.onAckTimeout = () => (noAck = true);
    tx.start();
    tx.respond(createResponse(invite, 404, { toTag: "b" }));
    await vi.advanceTimersByTimeAsync(64 * T.t1);
    expect(noAck).toBe(true);
  });

  it("after a 2xx absorbs retransmitted INVITEs and passes the TU's 2xx retransmissions on", async () => {
    const { ctx, sent } = context();
    const invite = request("INVITE");
    const tx = new ServerInviteTransaction(invite, flow, ctx);
    tx.start();
    const ok = createResponse(invite, 200, { toTag: "b" });
    tx.respond(ok);
    tx.receive(invite);
    tx.respond(ok);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.line)).toEqual(["SIP/2.0 100 Trying", "SIP/2.0 200 OK", "SIP/2.0 200 OK"]);
    expect(tx.currentState).toBe("accepted");
  });
});

describe("non-INVITE server transaction", () => {
  it("answers a retransmitted request with the last response until Timer J", async () => {
    const { ctx, sent } = context();
    const bye = request("BYE");
    const tx = new ServerNonInviteTransaction(bye, flow, ctx);
    tx.receive(bye); // nothing sent yet: nothing to repeat
    tx.respond(createResponse(bye, 200, { toTag: "b" }));
    tx.receive(bye);
    await vi.advanceTimersByTimeAsync(64 * T.t1);
    expect(sent.map((s) => s.line)).toEqual(["SIP/2.0 200 OK", "SIP/2.0 200 OK"]);
    expect(tx.currentState).toBe("terminated");
  });
});
