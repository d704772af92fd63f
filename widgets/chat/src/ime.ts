/** The parts of a key event that say whether an input method (pinyin, …) is using it. */
export type KeyLike = Pick<KeyboardEvent, "isComposing" | "keyCode" | "timeStamp">;

// Safari sends compositionend *before* the keydown of the Enter that confirms a candidate: the
// first key event this soon after the end belongs to the composition
const JUST_ENDED_MS = 100;

/**
 * Follows an input method's composition on a field, so the Enter that picks a candidate is not
 * taken as "send": composing (by the events or the key event's own flag), keyCode 229 (the key
 * went to the IME), or the first keydown right after compositionend (Safari's order). `listen`
 * follows a field's (or a form's) composition and key-up events.
 */
export class CompositionGuard {
  private composing = false;
  private endedAt = Number.NEGATIVE_INFINITY;

  readonly start = (): void => {
    this.composing = true;
  };

  readonly end = (e: Pick<Event, "timeStamp">): void => {
    this.composing = false;
    this.endedAt = e.timeStamp;
  };

  /** The key that confirmed the candidate is up (Chrome's order): the next Enter is the visitor's. */
  readonly keyUp = (): void => {
    this.endedAt = Number.NEGATIVE_INFINITY;
  };

  /** Follows the composition events under `target` (they bubble); answers the unsubscribe. */
  listen(target: EventTarget): () => void {
    // added directly: Preact would register onCompositionEnd as a "CompositionEnd" event
    const pairs: [string, (e: Event) => void][] = [
      ["compositionstart", this.start],
      ["compositionend", this.end],
      ["keyup", this.keyUp],
    ];
    for (const [type, handler] of pairs) target.addEventListener(type, handler);
    return () => {
      for (const [type, handler] of pairs) target.removeEventListener(type, handler);
    };
  }

  /** True when this keydown belongs to the input method, not to the visitor. */
  owns(e: KeyLike): boolean {
    const justEnded = e.timeStamp - this.endedAt < JUST_ENDED_MS;
    this.endedAt = Number.NEGATIVE_INFINITY;
    return this.composing || e.isComposing || e.keyCode === 229 || justEnded;
  }
}
