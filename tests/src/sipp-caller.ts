import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * What a trunk caller does, for sipp to play: a pcap of their audio — keys as RFC 2833
 * telephone-events, speech as loud A-law — with the caller's own pace inside it (sipp replays a
 * pcap with its packets' timing), and a scenario that does one step per command from the test.
 */

/** Something the caller does once told: play sounds, hang up, or wait for us to hang up. */
export type CallerStep = { sounds: CallerSound[] } | "hang up";
/** Keys pressed one after another, or `ms` of speech. */
export type CallerSound = { keys: string } | { speakMs: number };

const EVENT: Record<string, number> = { "*": 10, "#": 11 };
const FRAME_MS = 20;
/** A-law's loudest positive and negative codes: a square wave the IVR takes for speech. */
const LOUD = Buffer.from(Array.from({ length: 160 }, (_, i) => (Math.floor(i / 10) % 2 ? 0xaa : 0x2a)));

function checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** One Ethernet/IPv4/UDP frame around `rtp`, as pcap's packet record at `atMs`. */
function record(rtp: Buffer, atMs: number, id: number): Buffer {
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + rtp.length, 2);
  ip.writeUInt16BE(id & 0xffff, 4);
  ip[8] = 64;
  ip[9] = 17;
  Buffer.from([127, 0, 0, 1]).copy(ip, 12);
  Buffer.from([127, 0, 0, 1]).copy(ip, 16);
  ip.writeUInt16BE(checksum(ip), 10);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(6000, 0);
  udp.writeUInt16BE(6002, 2);
  udp.writeUInt16BE(8 + rtp.length, 4);
  const ethernet = Buffer.from("0000000000020000000000010800", "hex");
  const frame = Buffer.concat([ethernet, ip, udp, rtp]);
  const head = Buffer.alloc(16);
  head.writeUInt32LE(1_700_000_000 + Math.floor(atMs / 1000), 0);
  head.writeUInt32LE(Math.round((atMs % 1000) * 1000), 4);
  head.writeUInt32LE(frame.length, 8);
  head.writeUInt32LE(frame.length, 12);
  return Buffer.concat([head, frame]);
}

let ssrcSeq = 0x5150_0000;

/** A pcap of `sounds` in order (keys 300 ms apart, each 140 ms as sipp's own DTMF pcaps), written to `file`. */
export function callerPcap(file: string, sounds: CallerSound[]): string {
  const ssrc = ++ssrcSeq;
  const records: Buffer[] = [];
  let seq = 1000;
  let timestamp = 16_000;
  let atMs = 0;
  const rtp = (pt: number, marker: boolean, payload: Buffer, packetSeq: number) => {
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = pt | (marker ? 0x80 : 0);
    header.writeUInt16BE(packetSeq & 0xffff, 2);
    header.writeUInt32BE(timestamp >>> 0, 4);
    header.writeUInt32BE(ssrc, 8);
    return Buffer.concat([header, payload]);
  };
  for (const sound of sounds) {
    if ("speakMs" in sound) {
      for (let i = 0; i < sound.speakMs / FRAME_MS; i++) {
        records.push(record(rtp(8, i === 0, LOUD, seq++), atMs, seq));
        atMs += FRAME_MS;
        timestamp += 160;
      }
      continue;
    }
    for (const key of sound.keys) {
      const code = EVENT[key] ?? Number(key);
      // 7 packets of a growing event, then 3 copies of its end (same seq), as RFC 4733 sends them
      for (let k = 0; k < 10; k++) {
        const end = k >= 7;
        const event = Buffer.from([code, (end ? 0x80 : 0) | 10, 0, 0]);
        event.writeUInt16BE(end ? 2240 : k * 320, 2);
        records.push(record(rtp(101, k === 0, event, end ? seq + 7 : seq + k), atMs + Math.min(k, 7) * FRAME_MS, seq + k));
      }
      seq += 8;
      timestamp += 2400;
      atMs += 300;
    }
  }
  const header = Buffer.from("d4c3b2a1020004000000000000000000ffff000001000000", "hex");
  writeFileSync(file, Buffer.concat([header, ...records]));
  return file;
}

/**
 * A scenario for sipp as a trunk calling [service] from [caller] (-key caller) with A-law audio:
 * after the ACK, each step waits for a command from the test (3PCC twin socket) and then plays
 * its sounds or hangs up; a scenario whose last step is not a hang-up ends when we hang up.
 */
export function callerScenario(steps: CallerStep[]): string {
  const dir = mkdtempSync(join(tmpdir(), "yx-sipp-"));
  const base = readFileSync(new URL("./sipp/trunk-hangs-up.xml", import.meta.url), "utf8");
  const invite = base.slice(0, base.indexOf("  <nop>"));
  const bye = base.slice(base.indexOf("  <send retrans=\"500\">", base.indexOf("<recvCmd/>")), base.indexOf("</scenario>"));
  const body = steps.map((step, i) => {
    if (step === "hang up") return `  <recvCmd/>\n${bye}`;
    const pcap = callerPcap(join(dir, `step-${i}.pcap`), step.sounds);
    return `  <recvCmd/>\n  <nop><action><exec play_pcap_audio="${pcap}"/></action></nop>\n`;
  });
  const ours = steps.at(-1) === "hang up" ? "" : `  <recv request="BYE"/>\n  <send>\n    <![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0\n\n]]>\n  </send>\n`;
  const file = join(dir, "scenario.xml");
  writeFileSync(file, `${invite}${body.join("")}${ours}</scenario>\n`);
  return file;
}
