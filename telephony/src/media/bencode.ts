/**
 * Bencode, the encoding of rtpengine's NG control protocol: integers `i42e`, byte strings
 * `4:spam`, lists `l…e` and dictionaries `d…e` (keys sorted). Strings decode as UTF-8 text; NG
 * never sends binary values.
 */
export type BValue = string | number | BValue[] | { [key: string]: BValue };

export class BencodeError extends Error {}

export function encode(value: BValue | boolean | undefined | null): Buffer {
  const parts: Buffer[] = [];
  write(value, parts);
  return Buffer.concat(parts);
}

function write(value: BValue | boolean | undefined | null, out: Buffer[]): void {
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    out.push(Buffer.from(`${bytes.length}:`), bytes);
  } else if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new BencodeError(`bencode has integers only, not ${value}`);
    out.push(Buffer.from(`i${value}e`));
  } else if (typeof value === "boolean") {
    out.push(Buffer.from(value ? "i1e" : "i0e"));
  } else if (Array.isArray(value)) {
    out.push(Buffer.from("l"));
    for (const item of value) write(item, out);
    out.push(Buffer.from("e"));
  } else if (value && typeof value === "object") {
    out.push(Buffer.from("d"));
    for (const key of Object.keys(value).sort()) {
      if (value[key] === undefined) continue;
      write(key, out);
      write(value[key], out);
    }
    out.push(Buffer.from("e"));
  } else {
    throw new BencodeError("cannot bencode an empty value");
  }
}

export function decode(data: Buffer): BValue {
  const [value, end] = read(data, 0);
  if (end !== data.length) throw new BencodeError(`trailing bytes after position ${end}`);
  return value;
}

function read(data: Buffer, at: number): [BValue, number] {
  const c = data[at];
  if (c === undefined) throw new BencodeError("unexpected end of input");
  if (c === 0x69 /* i */) {
    const end = data.indexOf(0x65, at);
    if (end < 0) throw new BencodeError("unterminated integer");
    const n = Number(data.subarray(at + 1, end).toString("latin1"));
    if (!Number.isInteger(n)) throw new BencodeError("invalid integer");
    return [n, end + 1];
  }
  if (c === 0x6c /* l */) {
    const list: BValue[] = [];
    let i = at + 1;
    while (data[i] !== 0x65) {
      const [item, next] = read(data, i);
      list.push(item);
      i = next;
    }
    return [list, i + 1];
  }
  if (c === 0x64 /* d */) {
    const dict: Record<string, BValue> = {};
    let i = at + 1;
    while (data[i] !== 0x65) {
      const [key, afterKey] = read(data, i);
      if (typeof key !== "string") throw new BencodeError("dictionary key is not a string");
      const [value, next] = read(data, afterKey);
      dict[key] = value;
      i = next;
    }
    return [dict, i + 1];
  }
  if (c >= 0x30 && c <= 0x39) {
    const colon = data.indexOf(0x3a, at);
    if (colon < 0) throw new BencodeError("string without length");
    const length = Number(data.subarray(at, colon).toString("latin1"));
    const end = colon + 1 + length;
    if (!Number.isInteger(length) || end > data.length) throw new BencodeError("string runs past the end");
    return [data.subarray(colon + 1, end).toString("utf8"), end];
  }
  throw new BencodeError(`unexpected byte 0x${c.toString(16)} at ${at}`);
}
