import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { sipUri } from "../parser/uri.ts";
import { startSipStack } from "../stack.ts";
import { freePort, runSipp, SIPP_MISSING, sippInstalled, sippLost, untilBound } from "./sipp.ts";
import { LOSSY_TIMERS, sdpBody, TEST_TIMERS } from "./test-peers.ts";

const RESENT_INVITE_UAS = fileURLToPath(new URL("./uas-resent-invite.xml", import.meta.url));

// our UAC calls sipp's built-in answerer (`-sn uas`: 180, 200 with SDP, ACK, BYE, 200)
describe.runIf(sippInstalled).concurrent("our UAC calls sipp", () => {
  // sipp's uas scenario ends each call with a 4 s timewait (to answer a BYE sent again)
  const timeout = 20_000;

  async function callSipp(transport: "udp" | "tcp", calls: number, extra: string[] = [], timers = TEST_TIMERS, scenario = ["-sn", "uas"]) {
    const stack = await startSipStack({ udp: { port: 0 }, tcp: { port: 0 }, timers });
    const port = await freePort();
    const sipp = runSipp([...scenario, "-i", "127.0.0.1", "-p", String(port), "-t", transport === "udp" ? "u1" : "t1", "-m", String(calls), ...extra]);
    await untilBound(port, transport);
    // the calls at once: a loss delays its own call only, not every call after it
    const params = transport === "tcp" ? { transport: "tcp" } : undefined;
    const results = await Promise.all(
      Array.from({ length: calls }, async () => {
        const call = await stack.ua.invite({ uri: sipUri("127.0.0.1", { user: "service", port, params }), body: sdpBody() });
        const { response, dialog } = await call.result;
        const bye = dialog ? (await stack.ua.bye(dialog)).status : undefined;
        return { status: response.status, sdp: response.body.toString().startsWith("v=0"), bye };
      }),
    );
    const run = await sipp.done;
    const dialogs = stack.ua.dialogCount;
    await stack.close();
    return { results, run, dialogs };
  }

  const allAnswered = (n: number) => Array.from({ length: n }, () => ({ status: 200, sdp: true, bye: 200 }));

  it("over UDP: answered with SDP, ACKed, hung up with BYE", async () => {
    const { results, run, dialogs } = await callSipp("udp", 5);
    expect(results).toEqual(allAnswered(5));
    expect(run.errors).toBe("");
    expect(run.code).toBe(0);
    expect(dialogs).toBe(0);
  }, timeout);

  it("over TCP: the same, and the BYE reuses the connection", async () => {
    const { results, run } = await callSipp("tcp", 5);
    expect(results).toEqual(allAnswered(5));
    expect(run.code).toBe(0);
  }, timeout);

  it("over UDP with 10 % of packets lost: our retransmissions complete every call", async () => {
    // sipp's answerer as built in, except that it answers an INVITE sent again after its 200 (uas-resent-invite.xml)
    const { results, run } = await callSipp("udp", 10, ["-lost", "10"], LOSSY_TIMERS, ["-sf", RESENT_INVITE_UAS]);
    expect(results).toEqual(allAnswered(10));
    expect(run.code).toBe(0);
    expect(sippLost(run.output)).toBeGreaterThan(0);
  }, 2 * timeout);
});

it.skipIf(sippInstalled)("sipp interop tests need sipp", () => {
  throw new Error(SIPP_MISSING);
});
