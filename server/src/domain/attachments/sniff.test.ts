import { describe, expect, it } from "vitest";
import { contentMatches, declaredType, sniff } from "./sniff.ts";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const EXE = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(100, 0x90)]);

describe("sniff", () => {
  it("recognises common formats by their first bytes", () => {
    expect(sniff(PNG)).toBe("png");
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("jpeg");
    expect(sniff(Buffer.from("GIF89a..."))).toBe("gif");
    expect(sniff(Buffer.from("%PDF-1.7\n"))).toBe("pdf");
    expect(sniff(Buffer.from("PK\x03\x04rest", "latin1"))).toBe("zip");
    expect(sniff(Buffer.from("RIFF\x10\x00\x00\x00WEBPVP8 ", "latin1"))).toBe("webp");
    expect(sniff(Buffer.from("RIFF\x10\x00\x00\x00WAVEfmt ", "latin1"))).toBe("wav");
    expect(sniff(Buffer.from("\x00\x00\x00\x18ftypmp42", "latin1"))).toBe("mp4");
    expect(sniff(Buffer.from("ID3\x04", "latin1"))).toBe("mp3");
    expect(sniff(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe("ole");
  });

  it("recognises programs", () => {
    expect(sniff(EXE)).toBe("executable");
    expect(sniff(Buffer.from("\x7fELF\x02\x01", "latin1"))).toBe("executable");
    expect(sniff(Buffer.from("#!/bin/sh\nrm -rf /\n"))).toBe("executable");
    expect(sniff(Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]))).toBe("executable");
  });

  it("tells text from other binary data", () => {
    expect(sniff(Buffer.from("发票号码,金额\n12345,100.00\n"))).toBe("text");
    expect(sniff(Buffer.from([1, 2, 0, 4]))).toBe("binary");
    expect(sniff(Buffer.alloc(0))).toBe("text");
  });
});

describe("contentMatches", () => {
  it("accepts a file whose bytes fit the declared type", () => {
    expect(contentMatches("image/png", "png")).toBe(true);
    expect(contentMatches("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "zip")).toBe(true);
    expect(contentMatches("application/msword", "ole")).toBe(true);
    expect(contentMatches("text/csv", "text")).toBe(true);
  });

  it("refuses a renamed program or a mislabelled file", () => {
    expect(contentMatches("application/pdf", sniff(EXE))).toBe(false);
    expect(contentMatches("text/plain", sniff(EXE))).toBe(false);
    expect(contentMatches("image/png", "jpeg")).toBe(false);
    expect(contentMatches("image/png", "text")).toBe(false);
    expect(contentMatches("text/plain", "binary")).toBe(false);
    expect(contentMatches("application/x-custom", "executable")).toBe(false);
  });

  it("lets an admin-allowed type without a known signature through unless it is a program", () => {
    expect(contentMatches("application/x-custom", "binary")).toBe(true);
  });
});

describe("declaredType", () => {
  it("uses the declared type without parameters, in lower case", () => {
    expect(declaredType("a.txt", "Text/Plain; charset=UTF-8")).toBe("text/plain");
  });

  it("falls back to the file name when the sender declared nothing useful", () => {
    expect(declaredType("发票.PDF", "application/octet-stream")).toBe("application/pdf");
    expect(declaredType("报表.xlsx", undefined)).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(declaredType("setup.exe", "application/octet-stream")).toBe("application/octet-stream");
  });
});
