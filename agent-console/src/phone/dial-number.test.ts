import { describe, expect, it } from "vitest";
import { callClock, dialableNumber, dialTarget, headerId, isDtmfKey } from "./dial-number.ts";

describe("the dialpad's numbers", () => {
  it("takes numbers as people write them and refuses what is not a number", () => {
    expect(dialableNumber(" 021-6123 4567 ")).toBe("02161234567");
    expect(dialableNumber("+86 (138) 0013.8000")).toBe("+8613800138000");
    expect(dialableNumber("1001")).toBe("1001");
    expect(dialableNumber("*72#")).toBe("*72#");
    for (const bad of ["", "1", "abc", "+", "+*1", "138 0013 8000 ext 2", "1".repeat(33), "13800138000;transport=tcp", "1@evil"]) expect(dialableNumber(bad)).toBeNull();
  });

  it("dials sip:<number>@<realm> with # escaped", () => {
    expect(dialTarget("+8613800138000", "yixian.test")).toBe("sip:+8613800138000@yixian.test");
    expect(dialTarget("*72#", "yixian.test")).toBe("sip:*72%23@yixian.test");
  });

  it("takes only plain ids from headers", () => {
    expect(headerId("0193a6b2-7c1d-7e8f-9a0b-1c2d3e4f5a6b")).toBe("0193a6b2-7c1d-7e8f-9a0b-1c2d3e4f5a6b");
    for (const bad of [undefined, null, "", "a b", "x\r\nVia: evil", "a".repeat(65)]) expect(headerId(bad)).toBeNull();
  });

  it("sends only keypad keys as DTMF", () => {
    expect(["0", "9", "*", "#", "A", "D"].every(isDtmfKey)).toBe(true);
    expect(["", "10", "E", "a", " "].some(isDtmfKey)).toBe(false);
  });

  it("shows a call's length as m:ss, h:mm:ss past an hour", () => {
    expect(callClock(0)).toBe("0:00");
    expect(callClock(65_400)).toBe("1:05");
    expect(callClock(3_723_000)).toBe("1:02:03");
    expect(callClock(-5)).toBe("0:00");
  });
});
