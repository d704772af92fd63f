import { audioContext, tone } from "../sound.ts";
import type { Ringer } from "./softphone.ts";

/** One ring: two short trills of alternating tones, as a desk phone rings; repeated every 3 s. */
const RING_EVERY_MS = 3_000;

function ringOnce(): void {
  const ctx = audioContext();
  if (!ctx) return;
  const t0 = ctx.currentTime;
  for (let burst = 0; burst < 2; burst += 1) {
    for (let i = 0; i < 8; i += 1) tone(ctx, i % 2 ? 1_100 : 900, t0 + burst * 0.6 + i * 0.05, 0.05, 0.25);
  }
}

/** The sound of an incoming call, synthesised with Web Audio (no audio files). */
export function createRinger(): Ringer {
  let timer: ReturnType<typeof setInterval> | null = null;
  return {
    start() {
      if (timer) return;
      ringOnce();
      timer = setInterval(ringOnce, RING_EVERY_MS);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
