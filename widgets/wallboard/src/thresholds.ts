/**
 * Colour thresholds of the wallboard: green (good), amber (warn), red (bad), grey (none: no
 * data yet). T is the queue's service-level threshold in seconds.
 */
export type Level = "good" | "warn" | "bad" | "none";

/** The service level a queue aims for (80 % answered within T). */
export const SERVICE_LEVEL_TARGET = 0.8;
/** Amber below the target, red below this. */
export const SERVICE_LEVEL_FLOOR = 0.7;
export const ABANDON_WARN = 0.05;
export const ABANDON_BAD = 0.1;

/** A wait (the longest one now, or the average one answered): green up to T/2, amber up to T, red beyond. */
export function waitLevel(seconds: number | null, thresholdSeconds: number): Level {
  if (seconds === null) return "none";
  if (seconds <= thresholdSeconds / 2) return "good";
  return seconds <= thresholdSeconds ? "warn" : "bad";
}

export function serviceLevelLevel(ratio: number | null): Level {
  if (ratio === null) return "none";
  if (ratio >= SERVICE_LEVEL_TARGET) return "good";
  return ratio >= SERVICE_LEVEL_FLOOR ? "warn" : "bad";
}

export function abandonLevel(ratio: number | null): Level {
  if (ratio === null) return "none";
  if (ratio <= ABANDON_WARN) return "good";
  return ratio <= ABANDON_BAD ? "warn" : "bad";
}
