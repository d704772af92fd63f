import { describe, expect, it } from "vitest";
import { parseByteRange } from "./byte-range.ts";

describe("Range headers (RFC 9110 §14)", () => {
  it("reads one range, open-ended, or a suffix, clipped to the file", () => {
    expect(parseByteRange("bytes=0-99", 1000)).toEqual({ start: 0, end: 99 });
    expect(parseByteRange("bytes=900-", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange("bytes=-100", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange("bytes=-5000", 1000)).toEqual({ start: 0, end: 999 });
    expect(parseByteRange("bytes=990-99999999999999999999", 1000)).toEqual({ start: 990, end: 999 });
    expect(parseByteRange(" Bytes = 5-5 ", 1000)).toEqual({ start: 5, end: 5 });
    expect(parseByteRange("bytes=999-999", 1000)).toEqual({ start: 999, end: 999 });
  });

  it("finds nothing to send when the range starts at or past the end, or is an empty suffix", () => {
    expect(parseByteRange("bytes=1000-", 1000)).toBe("unsatisfiable");
    expect(parseByteRange("bytes=1000-1200", 1000)).toBe("unsatisfiable");
    expect(parseByteRange("bytes=-0", 1000)).toBe("unsatisfiable");
    expect(parseByteRange("bytes=0-", 0)).toBe("unsatisfiable");
    expect(parseByteRange("bytes=-10", 0)).toBe("unsatisfiable");
  });

  it("ignores what it may ignore: other units, malformed or backwards ranges, several ranges", () => {
    for (const header of ["lines=1-2", "bytes=a-b", "bytes=-", "bytes=5-2", "bytes=0-1,5-9", "bytes=1-2-3", "bytes=", "0-10"]) {
      expect(parseByteRange(header, 1000), header).toBe("whole");
    }
  });
});
