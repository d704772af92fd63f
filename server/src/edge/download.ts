import { withoutBidiControls } from "@yixian/contracts";

/** Types a browser may show in place (raster images); anything else downloads. */
const INLINE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/**
 * RFC 6266 / RFC 5987: an ASCII fallback plus the exact UTF-8 name (Chinese names survive),
 * without bidi controls (a name stored before uploads dropped them must not spoof its extension).
 */
export function contentDisposition(stored: string, disposition: "inline" | "attachment"): string {
  const filename = withoutBidiControls(stored);
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A stored file as its download needs it. */
export interface DownloadedFile {
  filename: string;
  contentType: string;
  size: number;
}

/**
 * The headers of a file download, for the console and for a chat's signed links alike: the
 * stored type (never sniffed), its name, a sandbox so an HTML or SVG file runs nothing, a
 * private cache for `maxAgeSeconds` (never compressed: ranges count the stored bytes), and no Referer from the file's page. For `res.setHeaders`
 * (not express's `res.set`, which rewrites a Content-Type).
 */
export function downloadHeaders(file: DownloadedFile, maxAgeSeconds: number): Map<string, string> {
  return new Map(Object.entries({
    "Content-Type": file.contentType.startsWith("text/") ? `${file.contentType}; charset=utf-8` : file.contentType,
    "Content-Length": String(file.size),
    "Content-Disposition": contentDisposition(file.filename, INLINE_TYPES.has(file.contentType) ? "inline" : "attachment"),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    // no-transform: never compressed on the way, so a byte range means the stored bytes
    "Cache-Control": `private, max-age=${Math.max(0, Math.floor(maxAgeSeconds))}, no-transform`,
    "Referrer-Policy": "no-referrer",
  }));
}
