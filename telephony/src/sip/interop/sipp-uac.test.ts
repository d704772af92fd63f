import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freePort, runSipp, SIPP_MISSING, sippInstalled, sippLost } from "./sipp.ts";
import { LOSSY_TIMERS, startTestUas, type TestUas } from "./test-peers.ts";

// sipp's built-in caller (`-sn uac`: INVITE, 100/180, 200, ACK, BYE, 200) against a UAS on our stack
describe.runIf(sippInstalled)("sipp calls our UAS", () => {
  let uas: TestUas;
  beforeEach(async () => {
    uas = await startTestUas();
  });
  afterEach(async () => {
    await uas.stack.close();
  });

  const calls = 20;
  const uac = async (transport: "u1" | "t1", port: number, extra: string[] = []) =>
    runSipp(["-sn", "uac", `127.0.0.1:${port}`, "-i", "127.0.0.1", "-p", String(await freePort()), "-t", transport, "-m", String(calls), "-r", "40", "-l", "20", "-d", "20", ...extra]).done;

  it("over UDP: every call is answered, ACKed and hung up", async () => {
    const run = await uac("u1", uas.stack.transports.get("udp").local.port);
    expect(run.errors).toBe("");
    expect(run.code).toBe(0);
    expect(uas.counts).toEqual({ invites: calls, acked: calls, byes: calls });
    expect(uas.stack.ua.dialogCount).toBe(0);
  });

  it("over TCP: the same, framed by Content-Length on one connection", async () => {
    const run = await uac("t1", uas.stack.transports.get("tcp").local.port);
    expect(run.errors).toBe("");
    expect(run.code).toBe(0);
    expect(uas.counts).toEqual({ invites: calls, acked: calls, byes: calls });
  });

  it("over UDP with 10 % of packets lost: retransmissions still complete every call", async () => {
    await uas.stack.close();
    uas = await startTestUas(LOSSY_TIMERS);
    const run = await uac("u1", uas.stack.transports.get("udp").local.port, ["-lost", "10"]);
    expect(run.code).toBe(0);
    expect(sippLost(run.output)).toBeGreaterThan(0);
    expect(uas.counts.invites).toBe(calls);
    // (no count of dialogs left: when sipp loses its own BYE, it takes our resent 200 to the INVITE
    // as the BYE's answer, as its scenario matches responses by code; our side ends that dialog at 64·T1)
  }, 40_000);
});

it.skipIf(sippInstalled)("sipp interop tests need sipp", () => {
  throw new Error(SIPP_MISSING);
});
