/**
 * What a file really is, from its first bytes, so that a program renamed to .pdf or sent as
 * image/png is refused. Pure; the upload stream hands it the head of the file.
 */
export type Sniffed = "png" | "jpeg" | "gif" | "webp" | "pdf" | "zip" | "ole" | "mp3" | "wav" | "mp4" | "executable" | "text" | "binary";

/** How many leading bytes sniff() needs to decide. */
export const SNIFF_BYTES = 512;

const startsWith = (head: Buffer, bytes: number[], at = 0) => bytes.every((b, i) => head[at + i] === b);
const ascii = (head: Buffer, text: string, at = 0) => head.subarray(at, at + text.length).toString("latin1") === text;

export function sniff(head: Buffer): Sniffed {
  // Programs: Windows PE, ELF, Mach-O (and fat binaries), scripts with a #! line.
  if (ascii(head, "MZ") || startsWith(head, [0x7f, 0x45, 0x4c, 0x46]) || ascii(head, "#!")) return "executable";
  for (const magic of [[0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe], [0xca, 0xfe, 0xba, 0xbe]]) {
    if (startsWith(head, magic)) return "executable";
  }
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "jpeg";
  if (ascii(head, "GIF87a") || ascii(head, "GIF89a")) return "gif";
  if (ascii(head, "RIFF") && ascii(head, "WEBP", 8)) return "webp";
  if (ascii(head, "RIFF") && ascii(head, "WAVE", 8)) return "wav";
  if (ascii(head, "%PDF-")) return "pdf";
  if (ascii(head, "PK\x03\x04") || ascii(head, "PK\x05\x06")) return "zip";
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return "ole";
  if (ascii(head, "ftyp", 4)) return "mp4";
  if (ascii(head, "ID3") || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)) return "mp3";
  return head.includes(0) ? "binary" : "text";
}

/** What each declared type must look like. */
const FAMILY: Record<string, Sniffed> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
  "application/pdf": "pdf",
  "application/zip": "zip",
  "application/x-zip-compressed": "zip",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "zip",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "zip",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "zip",
  "application/msword": "ole",
  "application/vnd.ms-excel": "ole",
  "application/vnd.ms-powerpoint": "ole",
  "audio/mpeg": "mp3",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/wave": "wav",
  "video/mp4": "mp4",
  "audio/mp4": "mp4",
};

const BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  pdf: "application/pdf",
  zip: "application/zip",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  doc: "application/msword",
  xls: "application/vnd.ms-excel",
  ppt: "application/vnd.ms-powerpoint",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  mp4: "video/mp4",
  txt: "text/plain",
  log: "text/plain",
  csv: "text/csv",
};

/** The bare, lower-case media type ("Text/Plain; charset=utf-8" → "text/plain"). */
export function bareType(type: string | undefined | null): string {
  return (type ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * The type a file is stored as: what the sender declared, or, when it declared nothing useful
 * (application/octet-stream), what its name says.
 */
export function declaredType(filename: string, type: string | undefined | null): string {
  const bare = bareType(type);
  if (bare && bare !== "application/octet-stream") return bare;
  const ext = filename.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  return (ext && BY_EXTENSION[ext]) || bare || "application/octet-stream";
}

/** Whether the bytes fit the type: the right signature for binary formats, no binary for text. */
export function contentMatches(type: string, sniffed: Sniffed): boolean {
  if (sniffed === "executable") return false;
  const family = FAMILY[type];
  if (family) return family === sniffed;
  if (type.startsWith("text/") || type === "application/json" || type.endsWith("+json") || type.endsWith("+xml") || type === "application/xml") {
    return sniffed === "text";
  }
  // A type we have no signature for (an admin allowed it): anything but a program.
  return true;
}

/**
 * The extensions (lower case, no dot) whose files declaredType() takes as one of `types`: what a
 * browser that gives no type may still send. Sorted, so a public config reads the same each time.
 */
export function extensionsFor(types: readonly string[]): string[] {
  const allowed = new Set(types.map((t) => t.toLowerCase()));
  return Object.keys(BY_EXTENSION)
    .filter((ext) => allowed.has(BY_EXTENSION[ext]!))
    .sort();
}
