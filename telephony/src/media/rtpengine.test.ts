import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DtmfListener, type DtmfDigit } from "./dtmf-events.ts";
import { MediaServer } from "./media-server.ts";
import { MediaServerError, NgClient } from "./ng-client.ts";
import { recordingToWav } from "./recording/recording-to-wav.ts";
import { wavFile, wavSamples } from "./recording/wav.ts";
import { RtpengineProcess, rtpengineInstalled } from "./rtpengine-process.ts";
import { freeUdpPort, RtpPeer, sdpPort } from "./testing/rtp-peer.ts";

// Real rtpengine (Debian rtpengine-daemon, userspace), installed by scripts/test-services.sh.
describe("media through rtpengine", { timeout: 30_000 }, () => {
  let dir: string;
  let rtpengine: RtpengineProcess;
  let media: MediaServer;
  let client: NgClient;
  let dtmf: DtmfListener;
  const digits: DtmfDigit[] = [];
  let restarts = 0;

  beforeAll(async () => {
    expect(rtpengineInstalled(), "rtpengine is not installed: run scripts/test-services.sh").toBe(true);
    dir = mkdtempSync(join(tmpdir(), "yx-rtpengine-"));
    const dtmfPort = await freeUdpPort();
    dtmf = new DtmfListener(dtmfPort, (d) => digits.push(d));
    await dtmf.ready;
    const ngPort = await freeUdpPort();
    const portMin = 40000 + Math.floor(Math.random() * 200) * 100;
    rtpengine = new RtpengineProcess({ workDir: dir, ngPort, dtmfPort, portMin, portMax: portMin + 99, onRestart: () => restarts++ });
    await rtpengine.start();
    client = new NgClient({ host: "127.0.0.1", port: ngPort });
    media = new MediaServer(client);
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await rtpengine?.stop();
    await dtmf?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A call between a caller and an agent, both plain RTP endpoints. */
  async function call(callId: string, record = false) {
    const caller = await RtpPeer.open();
    const agent = await RtpPeer.open();
    const toAgent = await media.offer({ callId, fromTag: "caller", sdp: caller.sdp("1"), to: "rtp", record, label: `conversation ${callId}` });
    const toCaller = await media.answer({ callId, fromTag: "caller", toTag: "agent", sdp: agent.sdp("2"), to: "rtp" });
    // where each party sends: the port in the SDP it was given
    return { caller, agent, callerSendsTo: sdpPort(toCaller), agentSendsTo: sdpPort(toAgent) };
  }

  it("bridges RTP both ways and counts each party's packets", async () => {
    const c = await call("bridge-1");
    await Promise.all([c.caller.talk(c.callerSendsTo, 25, 0x1111), c.agent.talk(c.agentSendsTo, 25, 0x2222)]);
    await Promise.all([c.caller.until(25), c.agent.until(25)]);
    expect(c.agent.ssrcs()).toEqual(new Set([0x1111]));
    expect(c.caller.ssrcs()).toEqual(new Set([0x2222]));
    expect(await media.packetsReceived("bridge-1")).toEqual({ caller: 25, agent: 25 });
    await media.delete("bridge-1");
    await media.delete("bridge-1"); // a second delete (a retried BYE) is not an error
    c.caller.close();
    c.agent.close();
  });

  it("plays a prompt to one party only, with the other party's media blocked", async () => {
    const c = await call("prompt-1");
    const tone = Int16Array.from({ length: 4000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
    const file = join(dir, "tone.wav");
    writeFileSync(file, wavFile(tone));
    await media.block("prompt-1", "agent");
    const agentTalking = c.agent.talk(c.agentSendsTo, 20, 0x2222);
    const duration = await media.play("prompt-1", "caller", file);
    expect(duration).toBe(500);
    await agentTalking;
    await c.caller.until(20);
    const heard = c.caller.ssrcs();
    expect(heard.has(0x2222)).toBe(false); // the blocked agent is not heard under the prompt
    expect(heard.size).toBe(1);
    expect(c.agent.received.length).toBe(0); // the prompt goes to the caller only
    await media.unblock("prompt-1", "agent");
    await c.agent.talk(c.agentSendsTo, 5, 0x2222);
    await new Promise<void>((resolve) => {
      const check = () => (c.caller.ssrcs().has(0x2222) ? resolve() : setTimeout(check, 10));
      check();
    });
    await media.delete("prompt-1");
    c.caller.close();
    c.agent.close();
  });

  it("reports the caller's RFC 2833 key press as a digit with the caller's tag", async () => {
    const c = await call("dtmf-1");
    await c.caller.talk(c.callerSendsTo, 3, 0x1111);
    await c.caller.press(c.callerSendsTo, 4, 0x1111, 3 * 160);
    await new Promise<void>((resolve) => {
      const check = () => (digits.some((d) => d.callId === "dtmf-1") ? resolve() : setTimeout(check, 10));
      check();
    });
    expect(digits.filter((d) => d.callId === "dtmf-1").map((d) => [d.digit, d.sourceTag])).toEqual([["4", "caller"]]);
    await media.delete("dtmf-1");
    c.caller.close();
    c.agent.close();
  });

  it("records the call from its first packet: a WAV per leg and a mixed WAV as long as the call", async () => {
    const c = await call("record-1", true);
    const started = Date.now();
    await Promise.all([c.caller.talk(c.callerSendsTo, 50, 0x1111), c.agent.talk(c.agentSendsTo, 25, 0x2222)]);
    const lasted = Date.now() - started;
    await media.delete("record-1");
    const pcaps = readdirSync(join(rtpengine.recordingDir, "pcaps")).filter((f) => f.startsWith("record-1"));
    expect(pcaps).toHaveLength(1);
    const audio = recordingToWav(readFileSync(join(rtpengine.recordingDir, "pcaps", pcaps[0]!)), [
      { name: "caller", port: c.callerSendsTo },
      { name: "agent", port: c.agentSendsTo },
    ]);
    expect(audio.legs.map((l) => [l.name, l.packets])).toEqual([["caller", 50], ["agent", 25]]);
    expect(Math.abs(audio.durationMs - lasted)).toBeLessThan(1000);
    const mixed = wavSamples(audio.mixed);
    expect(mixed.sampleRate).toBe(8000);
    expect(Math.abs(mixed.samples.length / 8 - audio.durationMs)).toBeLessThan(40);
    const loud = mixed.samples.filter((s) => Math.abs(s) > 1000).length;
    expect(loud / mixed.samples.length).toBeGreaterThan(0.5); // not silent
    const agentOnly = wavSamples(audio.legs[1]!.wav).samples;
    // the agent spoke for the first half only: the second half of their leg is silence
    expect(agentOnly.subarray(agentOnly.length * 0.75).every((s) => s === 0)).toBe(true);
    c.caller.close();
    c.agent.close();
  });

  it("refuses SDP it cannot use with a coded error, and times out when nothing answers", async () => {
    await expect(media.offer({ callId: "bad-1", fromTag: "x", sdp: "this is not sdp", to: "rtp" })).rejects.toMatchObject({ kind: "refused" });
    const silent = new NgClient({ host: "127.0.0.1", port: await freeUdpPort(), retryAfterMs: 20, tries: 3 });
    await expect(silent.request("ping")).rejects.toBeInstanceOf(MediaServerError);
    await expect(silent.request("ping")).rejects.toMatchObject({ kind: "timeout" });
    await silent.close();
  });

  it("restarts rtpengine after a crash and tells the call layer", async () => {
    const pid = rtpengine.pid!;
    process.kill(pid, "SIGKILL");
    await new Promise<void>((resolve) => {
      const check = () => (restarts > 0 ? resolve() : setTimeout(check, 20));
      check();
    });
    expect(rtpengine.pid).not.toBe(pid);
    expect(await media.ping()).toBe(true);
  });
});
