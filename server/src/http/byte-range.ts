import type { ByteRange } from "../domain/attachments/storage-port.ts";

/**
 * What a Range header asks of a file of `size` bytes (RFC 9110 §14.1.2): one range, clipped to
 * the file; "unsatisfiable" when it starts past the end (416); "whole" when the header may be
 * ignored — another unit, malformed, a last position before the first, or several ranges (a
 * server may answer those with the whole file; players ask for one range at a time).
 */
export function parseByteRange(header: string, size: number): ByteRange | "whole" | "unsatisfiable" {
  const unit = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!unit) return "whole";
  const specs = unit[1]!.split(",").map((s) => s.trim()).filter(Boolean);
  if (specs.length !== 1) return "whole";
  const spec = /^(\d*)-(\d*)$/.exec(specs[0]!);
  if (!spec || (spec[1] === "" && spec[2] === "")) return "whole";
  const [first, last] = [spec[1] === "" ? null : Number(spec[1]), spec[2] === "" ? null : Number(spec[2])];
  if (first === null) {
    // a suffix: the last N bytes
    if (last === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - last!), end: size - 1 };
  }
  if (last !== null && last < first) return "whole";
  if (first >= size) return "unsatisfiable";
  return { start: first, end: Math.min(last ?? size - 1, size - 1) };
}
