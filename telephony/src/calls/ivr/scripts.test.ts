import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wavSamples } from "../../media/index.ts";
import { askMenu } from "./menu.ts";
import { createPromptSet, type PromptSet } from "./prompt-set.ts";
import { askRating } from "./rating.ts";
import { hears, IvrRig, isTone, receives, ssrcOf, tonesHeard } from "./testing/ivr-rig.ts";
import { askVerificationCode } from "./verification.ts";
import { recordVoicemail } from "./voicemail.ts";
import { waitInQueue } from "./wait-in-queue.ts";

/** Each prompt is a tone of its own pitch here, so the caller's peer can tell what it hears. */
const HZ = {
  music: 500,
  "enter-code": 600,
  "code-wrong": 700,
  "code-failed": 800,
  rate: 900,
  thanks: 1000,
  "key-invalid": 1100,
  voicemail: 1200,
  beep: 1300,
  queue: 1500,
  wait: 1600,
  options: 1700,
  menu: 1800,
} as const;

function toneName(name: string): keyof typeof HZ | null {
  if (name === "hold-music") return "music";
  if (name.startsWith("queue-position") || name.startsWith("number-")) return "queue";
  if (name.startsWith("expected-wait")) return "wait";
  if (name === "waiting-options") return "options";
  return name in HZ ? (name as keyof typeof HZ) : null;
}

// Real rtpengine (scripts/test-services.sh installs it); the caller is an RTP peer keying RFC 2833.
describe("what the caller hears and keys", { timeout: 30_000 }, () => {
  let rig: IvrRig;
  let n = 0;
  beforeAll(async () => {
    rig = await IvrRig.start();
  }, 60_000);
  afterAll(() => rig?.stop());

  /** Tones of `ms` for every prompt (music and the beep as given), through the tenant-prompt hook. */
  function prompts(ms: number, lengths: Partial<Record<keyof typeof HZ, number>> = {}): PromptSet {
    return createPromptSet(rig.library, "en", async (name) => {
      const tone = toneName(name);
      return tone ? rig.tone(HZ[tone], lengths[tone] ?? ms) : null;
    });
  }
  const call = () => rig.call(`ivr-${++n}`);

  describe("verification code", () => {
    it("identifies the caller on the third try after two wrong codes, each ended by #", async () => {
      const c = await call();
      const codes: string[] = [];
      const result = askVerificationCode(c.line, prompts(5000), async (code) => (codes.push(code), code === "4321"));
      await hears(c.caller, HZ["enter-code"]);
      await c.press("11#");
      await hears(c.caller, HZ["code-wrong"]);
      await c.press("2*22#"); // * starts the code again
      await hears(c.caller, HZ["code-wrong"]);
      await c.press("4321#");
      expect(await result).toBe("identified");
      expect(codes).toEqual(["11", "22", "4321"]);
    });

    it("fails after three wrong codes, and says so", async () => {
      const c = await call();
      const codes: string[] = [];
      const result = askVerificationCode(c.line, prompts(5000, { "code-failed": 200 }), async (code) => (codes.push(code), false));
      for (const prompt of ["enter-code", "code-wrong", "code-wrong"] as const) {
        await hears(c.caller, HZ[prompt]);
        await c.press("9#");
      }
      await hears(c.caller, HZ["code-failed"]);
      expect(await result).toBe("failed");
      expect(codes).toEqual(["9", "9", "9"]);
    });

    it("fails at once when the caller hangs up", async () => {
      const c = await call();
      const result = askVerificationCode(c.line, prompts(5000), () => Promise.resolve(true));
      await hears(c.caller, HZ["enter-code"]);
      c.hangUp.abort();
      expect(await result).toBe("failed");
    });
  });

  describe("menu", () => {
    it("takes a key among the choices; another key hears that it is not one and the menu again", async () => {
      const c = await call();
      const choice = askMenu(c.line, prompts(5000, { "key-invalid": 200 }), ["1", "2"]);
      await hears(c.caller, HZ.menu);
      await c.press("7");
      await hears(c.caller, HZ["key-invalid"]);
      await hears(c.caller, HZ.menu);
      await c.press("2");
      expect(await choice).toBe("2");
    });

    it("gives up after saying the menu the number of tries with no key", async () => {
      const c = await call();
      expect(await askMenu(c.line, prompts(200), ["1"], { tries: 2, timeoutMs: 50 })).toBeNull();
      expect(c.caller.received.filter((p) => isTone(p, HZ.menu)).length).toBeGreaterThanOrEqual(18); // said twice: 2 × 10 packets
    });
  });

  describe("waiting in the queue", () => {
    it("plays music, and between music the position, the wait and the keys, again every N seconds; the call-back key ends it", async () => {
      const c = await call();
      const places: number[] = [];
      const waiting = waitInQueue(c.line, prompts(100, { music: 1000 }), {
        announceEverySeconds: 0.3,
        place: async () => (places.push(places.length), { position: 3, expectedWaitSeconds: 20 }),
        voicemailKey: "1",
        callbackKey: "2",
        signal: new AbortController().signal,
      });
      const first = await hears(c.caller, HZ.queue);
      const music = await hears(c.caller, HZ.music, first);
      const second = await hears(c.caller, HZ.queue, music);
      await hears(c.caller, HZ.music, second);
      await c.press("2");
      expect(await waiting).toBe("callback");
      expect(tonesHeard(c.caller).slice(0, 8)).toEqual([HZ.queue, HZ.wait, HZ.options, HZ.music, HZ.queue, HZ.wait, HZ.options, HZ.music]);
      expect(places.length).toBeGreaterThanOrEqual(2);
    });

    it("takes the voicemail key during an announcement", async () => {
      const c = await call();
      const waiting = waitInQueue(c.line, prompts(5000), {
        announceEverySeconds: 30,
        place: async () => ({ position: 1, expectedWaitSeconds: null }),
        voicemailKey: "1",
        callbackKey: "2",
        signal: new AbortController().signal,
      });
      await hears(c.caller, HZ.queue);
      await c.press("1");
      expect(await waiting).toBe("voicemail");
    });

    it("ends when the wait is over for the controller, the music stopped; other keys do nothing", async () => {
      const c = await call();
      const over = new AbortController();
      const waiting = waitInQueue(c.line, prompts(100), { announceEverySeconds: 0, place: () => Promise.reject(new Error("not asked")), voicemailKey: null, callbackKey: "#", signal: over.signal });
      await hears(c.caller, HZ.options); // "to be called back, press hash": no position without announcements
      await hears(c.caller, HZ.music);
      await c.press("5");
      over.abort();
      expect(await waiting).toBe("aborted");
      const from = c.caller.received.length;
      await c.other.talk(c.otherSendsTo, 10, 0x2222);
      const first = await receives(c.caller, (p) => ssrcOf(p) === 0x2222, from);
      await c.caller.until(first + 10);
      expect(c.caller.received.slice(first).filter((p) => isTone(p, HZ.music)).length).toBeLessThanOrEqual(1);
    });
  });

  describe("rating", () => {
    it("takes 4 and thanks the caller", async () => {
      const c = await call();
      const rating = askRating(c.line, prompts(5000, { thanks: 200 }), 5000);
      await hears(c.caller, HZ.rate);
      await c.press("4");
      await hears(c.caller, HZ.thanks);
      expect(await rating).toBe(4);
    });

    it("asks once more after another key, and gives up after a second one", async () => {
      const c = await call();
      const rating = askRating(c.line, prompts(5000, { "key-invalid": 200 }), 5000);
      await hears(c.caller, HZ.rate);
      await c.press("9");
      await hears(c.caller, HZ["key-invalid"]);
      await hears(c.caller, HZ.rate);
      await c.press("0");
      expect(await rating).toBeNull();
      const again = askRating(c.line, prompts(5000, { "key-invalid": 200, thanks: 200 }), 5000);
      await hears(c.caller, HZ.rate);
      await c.press("*");
      await hears(c.caller, HZ.rate);
      await c.press("5");
      expect(await again).toBe(5);
    });

    it("is no rating when no key comes in time", async () => {
      const c = await call();
      expect(await askRating(c.line, prompts(200), 50)).toBeNull();
      expect(tonesHeard(c.caller)).not.toContain(HZ.thanks);
    });
  });

  describe("voicemail", () => {
    const loudness = (wav: string) => {
      const { samples } = wavSamples(readFileSync(wav));
      return samples.filter((s) => Math.abs(s) > 1000).length / samples.length;
    };
    const seconds = (wav: string) => wavSamples(readFileSync(wav)).samples.length / 8000;
    /** The caller speaks `frames` × 20 ms; how long that took here, in seconds (a busy machine stretches it). */
    const talks = async (c: Awaited<ReturnType<typeof call>>, frames: number) => {
      const started = Date.now();
      await c.caller.talk(c.callerSendsTo, frames, 0x1111);
      return (Date.now() - started) / 1000;
    };

    it("records the caller from the tone until #, as a WAV that is not silent and lasts as long as they spoke", async () => {
      const c = await call();
      const message = recordVoicemail(c.line, prompts(200), rig.media, { maxSeconds: 30, recordingDir: join(rig.dir, "voicemail") });
      await hears(c.caller, HZ.voicemail);
      await hears(c.caller, HZ.beep);
      const lasted = await talks(c, 50); // a second
      await c.press("#");
      const result = await message;
      expect(result).not.toBeNull();
      expect(result!.wav.startsWith(join(rig.dir, "voicemail"))).toBe(true);
      expect(result!.seconds).toBeGreaterThan(0.9);
      expect(Math.abs(result!.seconds - lasted)).toBeLessThan(0.2);
      expect(Math.abs(seconds(result!.wav) - result!.seconds)).toBeLessThan(0.05);
      expect(loudness(result!.wav)).toBeGreaterThan(0.5);
    });

    it("ends after the silence limit, and at the longest message", async () => {
      const c = await call();
      const quiet = recordVoicemail(c.line, prompts(200), rig.media, { maxSeconds: 30, silenceSeconds: 0.5, recordingDir: join(rig.dir, "voicemail") });
      await hears(c.caller, HZ.beep);
      const lasted = await talks(c, 25); // half a second, then nothing
      const ended = await quiet;
      expect(ended!.seconds).toBeGreaterThan(0.4);
      expect(Math.abs(ended!.seconds - lasted)).toBeLessThan(0.15);

      const long = recordVoicemail(c.line, prompts(200), rig.media, { maxSeconds: 0.5, recordingDir: join(rig.dir, "voicemail") });
      await hears(c.caller, HZ.beep);
      const talking = c.caller.talk(c.callerSendsTo, 75, 0x1111);
      const cut = await long;
      await talking;
      expect(cut!.seconds).toBeGreaterThan(0.3);
      expect(cut!.seconds).toBeLessThan(0.5 + 0.2 + 0.2); // from the beep (0.2 s) at most, with some slack
    });

    it("is null when nothing was said, and kept when the caller hangs up after speaking", async () => {
      const c = await call();
      expect(await recordVoicemail(c.line, prompts(200), rig.media, { maxSeconds: 30, silenceSeconds: 0.2, recordingDir: join(rig.dir, "voicemail") })).toBeNull();
      const message = recordVoicemail(c.line, prompts(200), rig.media, { maxSeconds: 30, recordingDir: join(rig.dir, "voicemail") });
      await hears(c.caller, HZ.beep);
      const lasted = await talks(c, 25);
      c.hangUp.abort();
      const kept = await message;
      expect(kept!.seconds).toBeGreaterThan(0.4);
      expect(Math.abs(kept!.seconds - lasted)).toBeLessThan(0.15);
      expect(loudness(kept!.wav)).toBeGreaterThan(0.5);
    });
  });
});
