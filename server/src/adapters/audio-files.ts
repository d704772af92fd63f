/**
 * Just enough of the WAV and MP3 formats to tell which one a file is and whether it ends where it
 * says it does: the decoder (sox) plays a cut-off MP3 to its last whole frame without a word, and
 * a prompt that stops mid-sentence must be refused, not stored.
 */

export type AudioFormat = "wav" | "mp3";

/** WAV (RIFF…WAVE) or MP3 (an ID3v2 tag or an MPEG audio frame first), by the first bytes. */
export function sniffAudio(head: Buffer): AudioFormat | null {
  if (head.length >= 12 && head.toString("latin1", 0, 4) === "RIFF" && head.toString("latin1", 8, 12) === "WAVE") return "wav";
  if (head.length >= 3 && head.toString("latin1", 0, 3) === "ID3") return "mp3";
  if (frameAt(head, 0) !== null) return "mp3";
  return null;
}

const BITRATES_KBPS = {
  // [MPEG-1 | MPEG-2/2.5][layer I, II, III], by the header's index 1–14 (0 free format, 15 bad)
  v1: [
    [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  v2: [
    [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
} as const;
const SAMPLE_RATES = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] } as const;

interface Frame {
  length: number;
  /** MPEG-1 (3), MPEG-2 (2), MPEG-2.5 (0). */
  version: 0 | 2 | 3;
  layer: 1 | 2 | 3;
  mono: boolean;
}

/** The MPEG audio frame whose header starts at `at`, or null (no sync, reserved values, free format). */
export function frameAt(buf: Buffer, at: number): Frame | null {
  if (at + 4 > buf.length) return null;
  const b1 = buf[at + 1]!;
  const b2 = buf[at + 2]!;
  if (buf[at] !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const versionBits = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const version = versionBits as 0 | 2 | 3;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const kbps = (version === 3 ? BITRATES_KBPS.v1 : BITRATES_KBPS.v2)[layer - 1]![bitrateIndex - 1]!;
  const rate = SAMPLE_RATES[version][rateIndex]!;
  const padding = (b2 >> 1) & 1;
  const bitrate = kbps * 1000;
  let length: number;
  if (layer === 1) length = (Math.floor((12 * bitrate) / rate) + padding) * 4;
  else if (layer === 3 && version !== 3) length = Math.floor((72 * bitrate) / rate) + padding;
  else length = Math.floor((144 * bitrate) / rate) + padding;
  return { length, version, layer, mono: buf[at + 3]! >> 6 === 3 };
}

/** The frame count a Xing/Info (LAME) or VBRI header in the first frame gives, if any. */
function declaredFrames(buf: Buffer, at: number, frame: Frame): number | null {
  const sideInfo = frame.version === 3 ? (frame.mono ? 17 : 32) : frame.mono ? 9 : 17;
  const xing = at + 4 + sideInfo;
  const tag = buf.toString("latin1", xing, xing + 4);
  if ((tag === "Xing" || tag === "Info") && xing + 12 <= buf.length && buf.readUInt32BE(xing + 4) & 1) return buf.readUInt32BE(xing + 8);
  const vbri = at + 36;
  if (buf.toString("latin1", vbri, vbri + 4) === "VBRI" && vbri + 18 <= buf.length) return buf.readUInt32BE(vbri + 14);
  return null;
}

/** Where the audio ends: before an ID3v1 tag or an APE tag at the end of the file. */
function audioEnd(buf: Buffer): number {
  let end = buf.length;
  if (end >= 128 && buf.toString("latin1", end - 128, end - 125) === "TAG") end -= 128;
  if (end >= 32 && buf.toString("latin1", end - 32, end - 24) === "APETAGEX") end -= 32 + buf.readUInt32LE(end - 20);
  return Math.max(0, end);
}

export interface Mp3Walk {
  /** Whole audio frames found (a Xing/Info frame not counted). */
  frames: number;
  /** The last frame runs past the end of the file, or fewer frames than the header declares. */
  truncated: boolean;
}

/**
 * Walks an MP3's frames from the first to the end. Null when no frame is found at all. A walk
 * that loses sync in the middle (junk between frames) says nothing about the end: not truncated.
 */
export function walkMp3(buf: Buffer): Mp3Walk | null {
  let at = 0;
  if (buf.toString("latin1", 0, 3) === "ID3" && buf.length >= 10) {
    const size = ((buf[6]! & 0x7f) << 21) | ((buf[7]! & 0x7f) << 14) | ((buf[8]! & 0x7f) << 7) | (buf[9]! & 0x7f);
    at = 10 + size + (buf[5]! & 0x10 ? 10 : 0);
  }
  // the first frame: a header followed by another where its length says
  const scanTo = Math.min(buf.length, at + 64 * 1024);
  let first: Frame | null = null;
  for (; at < scanTo; at++) {
    const frame = frameAt(buf, at);
    if (frame && (at + frame.length >= audioEnd(buf) || frameAt(buf, at + frame.length))) {
      first = frame;
      break;
    }
  }
  if (!first) return null;
  const end = audioEnd(buf);
  const declared = declaredFrames(buf, at, first);
  let frames = 0;
  if (declared !== null) at += first.length;
  while (at < end) {
    const frame = frameAt(buf, at);
    // a header cut off is the end of a cut file; anything else is junk we do not judge
    if (!frame) return { frames, truncated: end - at < 4 && buf[at] === 0xff };
    if (at + frame.length > end) return { frames, truncated: true };
    frames += 1;
    at += frame.length;
  }
  // encoders differ on whether the count includes the Xing frame itself
  return { frames, truncated: declared !== null && frames < declared - 1 };
}
