import { describe, expect, it } from "vitest";
import { CompositionGuard } from "./ime.ts";

const enter = (timeStamp: number, keyCode = 13, isComposing = false) => ({ timeStamp, keyCode, isComposing });

describe("the Enter that confirms a pinyin candidate", () => {
  it("belongs to the input method in Chrome's order (keydown while composing, compositionend, keyup)", () => {
    const guard = new CompositionGuard();
    guard.start();
    expect(guard.owns(enter(1000, 229, true))).toBe(true);
    guard.end({ timeStamp: 1001 });
    guard.keyUp();
    // the next Enter, however soon, is the visitor's
    expect(guard.owns(enter(1010))).toBe(false);
  });

  it("belongs to the input method in Safari's order (compositionend first, then keydown 229)", () => {
    const guard = new CompositionGuard();
    guard.start();
    guard.end({ timeStamp: 2000 });
    expect(guard.owns(enter(2001, 229))).toBe(true);
    guard.keyUp();
    expect(guard.owns(enter(2500))).toBe(false);
  });

  it("takes the first plain Enter right after compositionend as the input method's, and only that one", () => {
    const guard = new CompositionGuard();
    guard.start();
    guard.end({ timeStamp: 3000 });
    expect(guard.owns(enter(3001))).toBe(true);
    expect(guard.owns(enter(3002))).toBe(false);
    // long after the end (a candidate picked with the mouse), an Enter is the visitor's
    guard.start();
    guard.end({ timeStamp: 4000 });
    expect(guard.owns(enter(4200))).toBe(false);
  });

  it("leaves an Enter without any composition alone", () => {
    expect(new CompositionGuard().owns(enter(10))).toBe(false);
  });
});
