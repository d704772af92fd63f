import { describe, expect, it } from "vitest";
import { parsePrefixes } from "./outbound-prefixes.ts";

describe("denied prefixes as typed", () => {
  it("takes one a line, ignoring spaces, dashes, blank lines and repeats", () => {
    expect(parsePrefixes("+86 168\n\n+86-170，+86168\n")).toEqual({ prefixes: ["+86168", "+86170"], bad: null });
  });

  it("names the first line that is not a prefix", () => {
    expect(parsePrefixes("+86168\n168\n+abc")).toEqual({ prefixes: [], bad: "168" });
  });
});
