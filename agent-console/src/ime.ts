/** The parts of a keyboard event the guard reads (React's and the DOM's both have them). */
export interface KeyLike {
  key: string;
  keyCode: number;
  isComposing?: boolean;
}

/**
 * Knows when a key belongs to a Chinese (or any) input method's composition, so that the Enter
 * (or Ctrl+Enter) that confirms the pinyin is not taken as "send". Browsers disagree on the order:
 * Chrome sends the confirming keydown (isComposing, keyCode 229) before compositionend, Safari
 * sends compositionend first and then a keydown with keyCode 229, and some Chrome builds follow
 * compositionend with a plain Enter keydown. All three are caught: the flags, keyCode 229, and
 * the one keydown that comes straight after compositionend (until that key's keyup).
 */
export function imeGuard() {
  let composing = false;
  let justEnded = false;
  return {
    compositionStart(): void {
      composing = true;
      justEnded = false;
    },
    compositionEnd(): void {
      composing = false;
      justEnded = true;
    },
    keyUp(): void {
      justEnded = false;
    },
    /** Whether this keydown is the input method's, not the agent's; call once per keydown. */
    composingKey(e: KeyLike): boolean {
      const ended = justEnded;
      justEnded = false;
      if (composing || e.isComposing || e.keyCode === 229) return true;
      return ended && e.key === "Enter";
    },
  };
}
