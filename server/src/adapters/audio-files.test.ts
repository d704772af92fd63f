import { describe, expect, it } from "vitest";
import { frameAt, sniffAudio, walkMp3 } from "./audio-files.ts";

/** An MPEG-1 layer III frame, 128 kbit/s at 44.1 kHz, without padding: 417 bytes. */
function frame(fill = 0x55): Buffer {
  const f = Buffer.alloc(417, fill);
  f.set([0xff, 0xfb, 0x90, 0x64], 0);
  return f;
}

function mp3(frames: number): Buffer {
  return Buffer.concat(Array.from({ length: frames }, () => frame()));
}

/** A first frame carrying a LAME "Info" header that declares `count` frames. */
function infoFrame(count: number): Buffer {
  const f = frame(0);
  const at = 4 + 32; // MPEG-1 stereo side information
  f.write("Info", at, "latin1");
  f.writeUInt32BE(1, at + 4); // the frame count is present
  f.writeUInt32BE(count, at + 8);
  return f;
}

function id3v2(size: number): Buffer {
  const tag = Buffer.alloc(10 + size);
  tag.write("ID3", 0, "latin1");
  tag.set([4, 0, 0, (size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f], 3);
  return tag;
}

describe("audio files", () => {
  it("tells WAV and MP3 apart by their bytes, and anything else from both", () => {
    expect(sniffAudio(Buffer.from("RIFF\x24\x00\x00\x00WAVEfmt ", "latin1"))).toBe("wav");
    expect(sniffAudio(Buffer.concat([id3v2(20), frame()]))).toBe("mp3");
    expect(sniffAudio(frame())).toBe("mp3");
    expect(sniffAudio(Buffer.from("RIFF\x24\x00\x00\x00AVI LIST", "latin1"))).toBeNull();
    expect(sniffAudio(Buffer.from("%PDF-1.7"))).toBeNull();
    expect(sniffAudio(Buffer.from([0xff, 0xfb, 0xf0, 0x64]))).toBeNull(); // bitrate index 15 is not a frame
  });

  it("measures frames of every MPEG version and layer", () => {
    expect(frameAt(frame(), 0)).toMatchObject({ length: 417, version: 3, layer: 3 });
    expect(frameAt(Buffer.from([0xff, 0xfb, 0x92, 0x64]), 0)?.length).toBe(418); // padded
    expect(frameAt(Buffer.from([0xff, 0xf3, 0x48, 0xc4]), 0)).toMatchObject({ length: 144, version: 2, layer: 3, mono: true }); // MPEG-2, 32 kbit/s, 16 kHz
    expect(frameAt(Buffer.from([0xff, 0xe3, 0x18, 0xc4]), 0)).toMatchObject({ length: 72, version: 0 }); // MPEG-2.5, 8 kbit/s, 8 kHz
    expect(frameAt(Buffer.from([0xff, 0xfd, 0x90, 0x64]), 0)).toMatchObject({ length: 522, layer: 2 }); // 160 kbit/s: 144·160000/44100
    expect(frameAt(Buffer.from([0xff, 0xff, 0x90, 0x64]), 0)).toMatchObject({ length: 312, layer: 1 }); // 288 kbit/s: ⌊12·288000/44100⌋·4
  });

  it("finds a whole file whole, and a file cut inside a frame or inside a header cut off", () => {
    expect(walkMp3(mp3(20))).toEqual({ frames: 20, truncated: false });
    expect(walkMp3(mp3(20).subarray(0, 417 * 12 + 200))).toEqual({ frames: 12, truncated: true });
    expect(walkMp3(mp3(20).subarray(0, 417 * 12 + 2))).toEqual({ frames: 12, truncated: true });
    expect(walkMp3(Buffer.concat([id3v2(300), mp3(5)]))).toEqual({ frames: 5, truncated: false });
    // an ID3v1 tag at the end is not a frame cut off
    const v1 = Buffer.alloc(128);
    v1.write("TAG", 0, "latin1");
    expect(walkMp3(Buffer.concat([mp3(5), v1]))).toEqual({ frames: 5, truncated: false });
    expect(walkMp3(Buffer.from("not an mp3 at all"))).toBeNull();
  });

  it("holds a file cut exactly between frames to the count its Info header declares", () => {
    expect(walkMp3(Buffer.concat([infoFrame(10), mp3(10)]))).toEqual({ frames: 10, truncated: false });
    expect(walkMp3(Buffer.concat([infoFrame(11), mp3(10)]))).toEqual({ frames: 10, truncated: false }); // counted with the Info frame
    expect(walkMp3(Buffer.concat([infoFrame(10), mp3(6)]))).toEqual({ frames: 6, truncated: true });
  });
});
