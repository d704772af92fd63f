let audio: AudioContext | null = null;

/** The console's one AudioContext (the offer chime, the phone's ring), made on first use; null without audio. */
export function audioContext(): AudioContext | null {
  try {
    audio ??= new AudioContext();
    if (audio.state === "suspended") void audio.resume().catch(() => undefined);
    return audio;
  } catch {
    // no audio device (e.g. a headless browser)
    return null;
  }
}

/** Plays a tone at `freq` from `start` for `length` seconds, fading in and out. */
export function tone(ctx: AudioContext, freq: number, start: number, length: number, volume = 0.2): void {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = "sine";
  osc.frequency.value = freq;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(volume, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
  osc.connect(gain).connect(ctx.destination);
  osc.start(start);
  osc.stop(start + length + 0.05);
}

/** A short two-note chime for a new offer, synthesised (no audio files). Browsers allow it once
 * the user has interacted with the page, which signing in does. */
export function playOfferChime(): void {
  const ctx = audioContext();
  if (!ctx) return;
  for (const [i, freq] of [880, 1320].entries()) tone(ctx, freq, ctx.currentTime + i * 0.14, 0.25);
}
