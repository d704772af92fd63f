import { G711 } from "./g711.ts";
import { readPcap, type UdpPacket } from "./pcap.ts";
import { wavFile } from "./wav.ts";

/**
 * Turns rtpengine's pcap of a call into a WAV per leg and a mixed WAV (8 kHz, 16-bit mono).
 * A leg is the media one party sent: the packets rtpengine received on the port it gave that
 * party in the SDP. Each packet is placed by its RTP timestamp within its SSRC, anchored to the
 * packet's arrival time, so silence suppression and late starts keep their place and a new SSRC
 * (a re-INVITE, another agent leg) starts where it arrived. G.711 only (PCMU, PCMA): the codecs
 * the trunk and the softphone are offered.
 */
export interface RecordedLeg {
  name: string;
  /** The local port rtpengine received this party's RTP on. */
  port: number;
}

export interface LegAudio {
  name: string;
  wav: Buffer;
  packets: number;
}

export interface CallAudio {
  legs: LegAudio[];
  mixed: Buffer;
  durationMs: number;
}

const RATE = 8000;
const PER_MS = RATE / 1000;
/** A timestamp this far (in samples) from where the arrival time puts it starts a new anchor. */
const DRIFT = RATE;

interface Rtp {
  at: number;
  ssrc: number;
  timestamp: number;
  samples: Int16Array;
}

function rtpOf(packet: Pick<UdpPacket, "at" | "payload">): Rtp | null {
  const p = packet.payload;
  if (p.length < 12 || p[0]! >> 6 !== 2) return null;
  const table = G711.get(p[1]! & 0x7f);
  if (!table) return null;
  let start = 12 + (p[0]! & 0x0f) * 4;
  if (p[0]! & 0x10) {
    if (p.length < start + 4) return null;
    start += 4 + p.readUInt16BE(start + 2) * 4;
  }
  let end = p.length;
  if (p[0]! & 0x20) end -= p[p.length - 1]!;
  if (end <= start) return null;
  const samples = new Int16Array(end - start);
  for (let i = start; i < end; i++) samples[i - start] = table[p[i]!]!;
  return { at: packet.at, ssrc: p.readUInt32BE(8), timestamp: p.readUInt32BE(4), samples };
}

function place(track: Int16Array, packets: Rtp[], start: number): void {
  const anchors = new Map<number, { position: number; timestamp: number }>();
  for (const rtp of packets) {
    const byArrival = Math.round((rtp.at - start) * PER_MS);
    let anchor = anchors.get(rtp.ssrc);
    let position = anchor ? anchor.position + ((rtp.timestamp - anchor.timestamp) | 0) : byArrival;
    if (!anchor || Math.abs(position - byArrival) > DRIFT) {
      anchor = { position: byArrival, timestamp: rtp.timestamp };
      anchors.set(rtp.ssrc, anchor);
      position = byArrival;
    }
    for (let i = 0; i < rtp.samples.length; i++) {
      const at = position + i;
      if (at >= 0 && at < track.length) track[at] = rtp.samples[i]!;
    }
  }
}

/** When the first packet arrived and the last one ended, in milliseconds. */
function span(all: readonly Rtp[]): { start: number; end: number } {
  // loops, not Math.min(...): an hour's call is 180,000 packets a leg
  let start = Infinity;
  let end = -Infinity;
  for (const p of all) {
    start = Math.min(start, p.at);
    end = Math.max(end, p.at + p.samples.length / PER_MS);
  }
  return { start, end };
}

/** The G.711 samples of one RTP packet; null for anything else (telephone-events, other codecs). */
export function rtpSamples(payload: Buffer): Int16Array | null {
  return rtpOf({ at: 0, payload })?.samples ?? null;
}

/**
 * One party's RTP packets as they arrived (a live copy from `MediaServer.listen`) as a WAV,
 * placed as `recordingToWav` places a leg; the audio runs from the first packet to the last.
 */
export function packetsToWav(packets: readonly { at: number; payload: Buffer }[]): { wav: Buffer; durationMs: number; packets: number } {
  const rtp = packets.map(rtpOf).filter((p): p is Rtp => p !== null);
  if (rtp.length === 0) return { wav: wavFile(new Int16Array(0)), durationMs: 0, packets: 0 };
  const { start, end } = span(rtp);
  const track = new Int16Array(Math.ceil((end - start) * PER_MS));
  place(track, rtp, start);
  return { wav: wavFile(track), durationMs: Math.round(end - start), packets: rtp.length };
}

export function recordingToWav(pcap: Buffer, legs: readonly RecordedLeg[]): CallAudio {
  const byPort = new Map(legs.map((leg) => [leg.port, [] as Rtp[]]));
  for (const packet of readPcap(pcap)) {
    const list = byPort.get(packet.dstPort);
    const rtp = list ? rtpOf(packet) : null;
    if (list && rtp) list.push(rtp);
  }
  const all = [...byPort.values()].flat();
  if (all.length === 0) return { legs: legs.map((leg) => ({ name: leg.name, wav: wavFile(new Int16Array(0)), packets: 0 })), mixed: wavFile(new Int16Array(0)), durationMs: 0 };
  const { start, end } = span(all);
  const length = Math.ceil((end - start) * PER_MS);
  const mixed = new Int32Array(length);
  const out: LegAudio[] = legs.map((leg) => {
    const packets = byPort.get(leg.port)!;
    const track = new Int16Array(length);
    place(track, packets, start);
    for (let i = 0; i < length; i++) mixed[i]! += track[i]!;
    return { name: leg.name, wav: wavFile(track), packets: packets.length };
  });
  const clipped = Int16Array.from(mixed, (v) => Math.max(-32768, Math.min(32767, v)));
  return { legs: out, mixed: wavFile(clipped), durationMs: Math.round(end - start) };
}
