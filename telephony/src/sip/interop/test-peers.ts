/** A tiny UAS and UAC on our stack, for sipp to call and to be called by. */
import { startSipStack, type SipStack } from "../stack.ts";
import type { TimerConfig } from "../transaction/timers.ts";
import type { SipLogger } from "../transport/types.ts";

const SDP = (port: number) =>
  Buffer.from(["v=0", "o=yixian 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0", `m=audio ${port} RTP/AVP 0 8`, "a=rtpmap:0 PCMU/8000", ""].join("\r\n"));

export const sdpBody = (port = 40_000) => ({ body: SDP(port), contentType: "application/sdp" });

/** Fast timers so lost packets are resent within the test's time (the defaults are RFC 3261's). */
export const TEST_TIMERS: Partial<TimerConfig> = { t1: 100, t2: 400, t4: 500 };

/** For the runs with packet loss: 64·T1 = 16 s leaves room for several losses in a row on a busy machine. */
export const LOSSY_TIMERS: Partial<TimerConfig> = { t1: 250, t2: 1000, t4: 1000 };

export interface TestUas {
  stack: SipStack;
  counts: { invites: number; acked: number; byes: number };
}

/** Answers every INVITE with 180 then 200 and SDP; counts ACKs and BYEs. */
export async function startTestUas(timers: Partial<TimerConfig> = TEST_TIMERS, log?: SipLogger): Promise<TestUas> {
  const counts = { invites: 0, acked: 0, byes: 0 };
  const stack = await startSipStack({
    udp: { port: 0 },
    tcp: { port: 0 },
    timers,
    log,
    ua: {
      user: "test-uas",
      onInvite(invite) {
        counts.invites++;
        invite.progress(180);
        invite.accept(sdpBody()).then(
          ({ dialog, ack }) => {
            if (!ack) return;
            counts.acked++;
            dialog.onTerminated = (by) => {
              if (by === "remote") counts.byes++;
            };
          },
          () => undefined,
        );
      },
    },
  });
  return { stack, counts };
}
