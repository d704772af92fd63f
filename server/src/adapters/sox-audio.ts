import { spawn } from "node:child_process";
import { open, readFile } from "node:fs/promises";
import type { AudioConverter, UploadedAudioFormat } from "../domain/voice/prompts/audio-port.ts";
import { DomainError } from "../domain/errors.ts";
import { sniffAudio, walkMp3 } from "./audio-files.ts";

/** The phone's format: what rtpengine plays and the built-in prompts are. */
const PHONE_WAV = ["-t", "wav", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer"];
/** A conversion that takes longer than this is stuck (a 10 MB MP3 takes a few seconds). */
const TIMEOUT_MS = 120_000;
const INSTALL = "install sox and libsox-fmt-mp3 (Debian/Ubuntu: apt-get install sox libsox-fmt-mp3)";

interface SoxRun {
  code: number | null;
  stderr: string;
}

function runSox(args: string[]): Promise<SoxRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("sox", args, { stdio: ["ignore", "ignore", "pipe"], timeout: TIMEOUT_MS });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      if (stderr.length < 16_384) stderr += chunk;
    });
    child.once("error", (err: NodeJS.ErrnoException) => {
      reject(err.code === "ENOENT" ? new DomainError("SERVICE_UNAVAILABLE", `recordings cannot be converted on this server: ${INSTALL}`) : err);
    });
    child.once("close", (code) => resolve({ code, stderr }));
  });
}

/** The bytes of sound in a PCM WAV (its data chunk), from the header sox wrote. */
async function dataBytes(path: string): Promise<number> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    let at = 12;
    while (at + 8 <= bytesRead) {
      const size = head.readUInt32LE(at + 4);
      if (head.toString("latin1", at, at + 4) === "data") return size;
      at += 8 + size + (size % 2);
    }
    return 0;
  } finally {
    await handle.close();
  }
}

/**
 * Converts uploads with sox. The format is taken from the bytes, never the name; a WAV whose data
 * ends early (sox: "Premature EOF") and an MP3 whose last frame is cut off or that has fewer
 * frames than its Xing/Info header declares are refused as truncated.
 */
export class SoxAudioConverter implements AudioConverter {
  async toPhoneWav(input: string, output: string): Promise<{ format: UploadedAudioFormat; durationMs: number }> {
    const bytes = await readFile(input);
    const format = sniffAudio(bytes.subarray(0, 64));
    if (!format) throw new DomainError("UNSUPPORTED_MEDIA_TYPE", "the file is neither a WAV nor an MP3 recording");
    if (format === "mp3") {
      const walk = walkMp3(bytes);
      if (!walk) throw new DomainError("AUDIO_INVALID", "the MP3 file holds no audio frame");
      if (walk.truncated) throw new DomainError("AUDIO_TRUNCATED", "the MP3 file is cut off: its last frame is incomplete");
    }
    const run = await runSox(["-V2", "-t", format, input, ...PHONE_WAV, output]);
    if (/no handler for (given )?file type|not supported/i.test(run.stderr)) {
      throw new DomainError("SERVICE_UNAVAILABLE", `${format.toUpperCase()} recordings cannot be read on this server: ${INSTALL}`);
    }
    if (run.code !== 0) throw new DomainError("AUDIO_INVALID", `the ${format.toUpperCase()} file cannot be decoded: ${soxReason(run.stderr)}`);
    if (/premature EOF/i.test(run.stderr)) throw new DomainError("AUDIO_TRUNCATED", "the WAV file is cut off: it ends before its header says");
    const durationMs = Math.floor((await dataBytes(output)) / 16);
    if (durationMs < 100) throw new DomainError("AUDIO_INVALID", "the recording holds no sound");
    return { format, durationMs };
  }
}

/** Sox's own reason, without its prefix and the temporary file's name. */
function soxReason(stderr: string): string {
  const line = stderr.split("\n").find((l) => /FAIL/.test(l)) ?? stderr.split("\n")[0] ?? "";
  return line.replace(/^sox FAIL \w+:\s*/, "").replace(/`[^`']*'/g, "the file").trim().slice(0, 200) || "unknown error";
}
