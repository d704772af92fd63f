import { isIP } from "node:net";
import { createSocket } from "node:dgram";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packetsToWav, rtpSamples, type MediaServer } from "../../media/index.ts";
import type { CallerLine } from "./caller-line.ts";
import type { PromptSet } from "./prompt-set.ts";

export interface VoicemailOptions {
  /** The longest message. */
  maxSeconds: number;
  /** The folder the message's WAV is written to. */
  recordingDir: string;
  /** Silence that ends the message (default 5 s). */
  silenceSeconds?: number;
  /** The prompt before the tone: "voicemail" (default) or "closed" (out of hours). */
  prompt?: "voicemail" | "closed";
  /** This host's address as rtpengine sends to it (default 127.0.0.1: rtpengine on this host). */
  address?: string;
}

/** A 20 ms frame louder than this on average is speech (about −36 dBFS); below it, silence. */
const SPEECH_LEVEL = 500;

function isSpeech(samples: Int16Array): boolean {
  let sum = 0;
  for (const s of samples) sum += Math.abs(s);
  return samples.length > 0 && sum / samples.length > SPEECH_LEVEL;
}

/**
 * "Please leave your message after the tone": records what the caller says from the tone until
 * `#`, `silenceSeconds` of silence, `maxSeconds`, or the caller hanging up (a message left that
 * way is kept). rtpengine sends a copy of the caller's RTP to a socket here (`MediaServer.listen`),
 * so silence is heard as it happens; the packets become a WAV in `recordingDir` as a leg of a
 * recording does. Null when nothing was said. Saying "your message is saved" is the caller's
 * part, once the message is stored.
 */
export async function recordVoicemail(line: CallerLine, prompts: PromptSet, media: MediaServer, o: VoicemailOptions): Promise<{ wav: string; seconds: number } | null> {
  await line.play(await prompts.file(o.prompt ?? "voicemail"));
  if (line.hungUp.aborted) return null;
  const address = o.address ?? "127.0.0.1";
  const socket = createSocket(isIP(address) === 6 ? "udp6" : "udp4");
  socket.on("error", () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  const packets: { at: number; payload: Buffer }[] = [];
  const ended = new AbortController();
  let timing = false;
  let spoke = false;
  let silence: NodeJS.Timeout | undefined;
  let longest: NodeJS.Timeout | undefined;
  const quiet = () => {
    clearTimeout(silence);
    silence = setTimeout(() => ended.abort(), (o.silenceSeconds ?? 5) * 1000);
  };
  socket.on("message", (payload) => {
    packets.push({ at: Date.now(), payload });
    const samples = rtpSamples(payload);
    if (samples && isSpeech(samples)) {
      spoke = true;
      if (timing) quiet();
    }
  });
  let listener: string | null = null;
  try {
    listener = await media.listen(line.callId, line.callerTag, socket.address().port, address);
    await line.play(await prompts.beep());
    timing = true;
    quiet();
    longest = setTimeout(() => ended.abort(), o.maxSeconds * 1000);
    for (;;) {
      const key = await line.nextKey({ timeoutMs: Infinity, signal: ended.signal });
      if (key === null || key === "#") break;
    }
  } catch (err) {
    if (!line.hungUp.aborted) throw err;
  } finally {
    clearTimeout(silence);
    clearTimeout(longest);
    // a copy still sent after this goes to a closed port until the call ends: the message matters more
    if (listener) await media.stopListening(line.callId, line.callerTag, listener).catch(() => undefined);
    socket.close();
  }
  if (!spoke) return null;
  const audio = packetsToWav(packets);
  mkdirSync(o.recordingDir, { recursive: true });
  const wav = join(o.recordingDir, `${line.callId.replace(/[^A-Za-z0-9._-]/g, "_")}-voicemail-${Date.now()}.wav`);
  writeFileSync(wav, audio.wav);
  return { wav, seconds: audio.durationMs / 1000 };
}
