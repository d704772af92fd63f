import { describe, expect, it } from "vitest";
import { contentDisposition, downloadHeaders } from "./download.ts";

describe("file downloads", () => {
  it("names the file for every browser: an ASCII fallback and the exact UTF-8 name (RFC 6266 / 5987)", () => {
    expect(contentDisposition("发票 (2026).pdf", "attachment")).toBe(
      `attachment; filename="__ (2026).pdf"; filename*=UTF-8''%E5%8F%91%E7%A5%A8%20%282026%29.pdf`,
    );
    expect(decodeURIComponent(contentDisposition("合同'v2'.docx", "attachment").split("filename*=UTF-8''")[1]!)).toBe("合同'v2'.docx");
  });

  it("keeps quotes, backslashes and line breaks out of the fallback, and drops bidi controls", () => {
    const header = contentDisposition('a"b\\c\r\nd.txt', "attachment");
    expect(header).toMatch(/^attachment; filename="a_b_c__d\.txt"; /);
    expect(contentDisposition("invoice\u202Efdp.exe", "attachment")).toMatch(/^attachment; filename="invoicefdp\.exe"; filename\*=UTF-8''invoicefdp\.exe$/);
  });

  it("shows raster images in place and downloads the rest, never sniffed, in a sandbox", () => {
    const image = downloadHeaders({ filename: "截图.png", contentType: "image/png", size: 2048 }, 3600);
    expect(Object.fromEntries(image)).toEqual({
      "Content-Type": "image/png",
      "Content-Length": "2048",
      "Content-Disposition": `inline; filename="__.png"; filename*=UTF-8''%E6%88%AA%E5%9B%BE.png`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, max-age=3600, no-transform",
      "Referrer-Policy": "no-referrer",
    });
    expect(downloadHeaders({ filename: "x.svg", contentType: "image/svg+xml", size: 1 }, 60).get("Content-Disposition")).toMatch(/^attachment; /);
    expect(downloadHeaders({ filename: "a.html", contentType: "text/html", size: 1 }, 60).get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(downloadHeaders({ filename: "a.csv", contentType: "text/csv", size: 1 }, 59.7).get("Cache-Control")).toBe("private, max-age=59, no-transform");
  });
});
