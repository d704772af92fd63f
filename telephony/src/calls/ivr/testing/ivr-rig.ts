import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DtmfListener, MediaServer, NgClient, RtpengineProcess, rtpengineInstalled, rtpSamples, wavFile } from "../../../media/index.ts";
import { freeUdpPort, RtpPeer, sdpPort } from "../../../media/testing/rtp-peer.ts";
import { PromptLibrary } from "../../../prompts/index.ts";
import { ALL_KEYS, createCallerLine, type CallerLine } from "../caller-line.ts";

/**
 * A real rtpengine on free ports for the IVR's tests, and calls on it: a caller (and an agent)
 * as plain RTP peers on loopback, the caller's line, and what the caller hears told apart by
 * pitch (the tests give each prompt a tone of its own through the tenant-prompt hook).
 */
export class IvrRig {
  readonly media: MediaServer;
  readonly library: PromptLibrary;
  private tones = new Map<string, string>();
  private calls: { callId: string; peers: RtpPeer[]; hangUp: AbortController }[] = [];

  private constructor(
    readonly dir: string,
    private readonly rtpengine: RtpengineProcess,
    private readonly client: NgClient,
    readonly dtmf: DtmfListener,
  ) {
    this.media = new MediaServer(client);
    this.library = new PromptLibrary(join(dir, "sentences"));
  }

  static async start(): Promise<IvrRig> {
    if (!rtpengineInstalled()) throw new Error("rtpengine is not installed: run scripts/test-services.sh");
    const dir = mkdtempSync(join(tmpdir(), "yx-ivr-"));
    const dtmfPort = await freeUdpPort();
    const dtmf = new DtmfListener(dtmfPort);
    await dtmf.ready;
    const ngPort = await freeUdpPort();
    const portMin = 40000 + Math.floor(Math.random() * 200) * 100;
    const rtpengine = new RtpengineProcess({ workDir: dir, ngPort, dtmfPort, portMin, portMax: portMin + 99 });
    await rtpengine.start();
    return new IvrRig(dir, rtpengine, new NgClient({ host: "127.0.0.1", port: ngPort }), dtmf);
  }

  /** A sine tone file (cached): prompts in the tests are tones, told apart by their pitch. */
  tone(hz: number, ms: number): string {
    const key = `${hz}-${ms}`;
    let file = this.tones.get(key);
    if (!file) {
      file = join(this.dir, `tone-${key}.wav`);
      writeFileSync(file, wavFile(Int16Array.from({ length: ms * 8 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 8000)))));
      this.tones.set(key, file);
    }
    return file;
  }

  /**
   * A call answered by an IVR leg (as the call controller answers a trunk call before any agent),
   * with an agent leg instead when `agent` is set; the caller's line on it.
   */
  async call(callId: string, opts: { agent?: boolean } = {}) {
    const caller = await RtpPeer.open();
    const other = await RtpPeer.open();
    const toOther = await this.media.offer({ callId, fromTag: "caller", sdp: caller.sdp("1"), to: "rtp" });
    const toCaller = await this.media.answer({ callId, fromTag: "caller", toTag: opts.agent ? "agent" : "ivr", sdp: other.sdp("2"), to: "rtp" });
    const hangUp = new AbortController();
    this.calls.push({ callId, peers: [caller, other], hangUp });
    const line: CallerLine = createCallerLine(this.media, this.dtmf, callId, "caller", hangUp.signal);
    const callerSendsTo = sdpPort(toCaller);
    const otherSendsTo = sdpPort(toOther);
    let timestamp = 0;
    return {
      line,
      caller,
      other,
      hangUp,
      callerSendsTo,
      otherSendsTo,
      /** The caller presses keys (RFC 2833), each after a little audio, as a phone sends them. */
      press: async (keys: string) => {
        for (const key of keys) {
          await caller.talk(callerSendsTo, 1, 0x1111);
          timestamp += 8000;
          await caller.press(callerSendsTo, ALL_KEYS.indexOf(key), 0x1111, timestamp);
        }
      },
    };
  }

  async stop(): Promise<void> {
    for (const call of this.calls) {
      call.hangUp.abort();
      await this.media.delete(call.callId).catch(() => undefined);
      call.peers.forEach((p) => p.close());
    }
    await this.client.close();
    await this.rtpengine.stop();
    await this.dtmf.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The pitch of one received RTP packet in Hz (zero crossings), null when it is not G.711 audio. */
export function pitchOf(packet: Buffer): number | null {
  const samples = rtpSamples(packet);
  if (!samples || samples.length < 2) return null;
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 !== samples[i]! < 0) crossings++;
  return (crossings / 2) * (8000 / samples.length);
}

const near = (a: number | null, hz: number) => a !== null && Math.abs(a - hz) <= 60;

/** The packet is audio of the tone `hz`. */
export const isTone = (packet: Buffer, hz: number) => near(pitchOf(packet), hz);

/** Waits for the peer to receive a packet that `matches`, at or after index `from`; its index. */
export async function receives(peer: RtpPeer, matches: (packet: Buffer) => boolean, from = peer.received.length): Promise<number> {
  for (let i = from; ; i++) {
    await peer.until(i + 1);
    if (matches(peer.received[i]!)) return i;
  }
}

/** Waits for the peer to hear the tone `hz` (at or after index `from`); the packet's index. */
export function hears(peer: RtpPeer, hz: number, from = peer.received.length): Promise<number> {
  return receives(peer, (packet) => isTone(packet, hz), from);
}

export const ssrcOf = (packet: Buffer) => packet.readUInt32BE(8);

/** The tones heard in order, from `from` on: runs of at least `min` packets of one pitch. */
export function tonesHeard(peer: RtpPeer, from = 0, min = 3): number[] {
  const runs: { hz: number; n: number }[] = [];
  for (const packet of peer.received.slice(from)) {
    const hz = pitchOf(packet);
    if (hz === null) continue;
    const last = runs.at(-1);
    if (last && near(hz, last.hz)) last.n++;
    else runs.push({ hz, n: 1 });
  }
  return runs.filter((r) => r.n >= min).map((r) => Math.round(r.hz / 100) * 100);
}
