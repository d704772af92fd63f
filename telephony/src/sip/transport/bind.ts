import type { EventEmitter } from "node:events";

/** Runs `start` (bind, listen) and resolves when it calls back, or rejects on the emitter's first error. */
export function whenBound(target: EventEmitter, start: (done: () => void) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    target.once("error", reject);
    start(() => {
      target.off("error", reject);
      resolve();
    });
  });
}
