import { describe, expect, it } from "vitest";
import { imeGuard } from "./ime.ts";

const enter = { key: "Enter", keyCode: 13, isComposing: false };

describe("the composer's input-method guard", () => {
  it("does not send on the Enter that confirms pinyin, in Chrome's order (keydown while composing, then compositionend)", () => {
    const g = imeGuard();
    g.compositionStart();
    expect(g.composingKey({ key: "Process", keyCode: 229, isComposing: true })).toBe(true);
    expect(g.composingKey({ key: "Enter", keyCode: 229, isComposing: true })).toBe(true);
    g.compositionEnd();
    g.keyUp();
    // the agent's own Ctrl+Enter afterwards sends
    expect(g.composingKey(enter)).toBe(false);
  });

  it("does not send in Safari's order (compositionend, then keydown with keyCode 229)", () => {
    const g = imeGuard();
    g.compositionStart();
    g.compositionEnd();
    expect(g.composingKey({ key: "Enter", keyCode: 229, isComposing: false })).toBe(true);
    g.keyUp();
    expect(g.composingKey(enter)).toBe(false);
  });

  it("does not send when compositionend is followed by a plain Enter keydown", () => {
    const g = imeGuard();
    g.compositionStart();
    g.compositionEnd();
    expect(g.composingKey(enter)).toBe(true);
    g.keyUp();
    expect(g.composingKey(enter)).toBe(false);
  });

  it("leaves keys alone when no input method is in use", () => {
    const g = imeGuard();
    expect(g.composingKey(enter)).toBe(false);
    expect(g.composingKey({ key: "a", keyCode: 65 })).toBe(false);
  });
});
