import { isIP } from "node:net";

/** An address as a big integer and its width (32 for IPv4, 128 for IPv6); IPv4-mapped IPv6 reads as IPv4. */
function toBits(address: string): { value: bigint; width: 32 | 128 } | null {
  let text = address.trim();
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped) text = mapped[1]!;
  const kind = isIP(text);
  if (kind === 4) {
    const value = text.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
    return { value, width: 32 };
  }
  if (kind === 6) {
    const [head = "", tail = ""] = text.includes("::") ? text.split("::") : [text, ""];
    const left = head ? head.split(":").flatMap(expand) : [];
    const right = tail ? tail.split(":").flatMap(expand) : [];
    const all = text.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
    if (all.length !== 8) return null;
    const value = all.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
    return { value, width: 128 };
  }
  return null;
}

function ipv4Groups(v4: string): string[] {
  const [a = 0, b = 0, c = 0, d = 0] = v4.split(".").map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}

function expand(group: string): string[] {
  return group.includes(".") ? ipv4Groups(group) : [group];
}

/**
 * Whether `address` is one of `sources`: single addresses or networks in CIDR form
 * (`198.51.100.0/28`, `2001:db8::/32`), as a trunk's allowed sources are written.
 */
export function addressAllowed(address: string, sources: readonly string[]): boolean {
  const ip = toBits(address);
  if (!ip) return false;
  for (const source of sources) {
    const [net = "", prefixText] = source.trim().split("/");
    const range = toBits(net);
    if (!range || range.width !== ip.width) continue;
    const prefix = prefixText === undefined ? range.width : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > range.width) continue;
    const shift = BigInt(range.width - prefix);
    if (ip.value >> shift === range.value >> shift) return true;
  }
  return false;
}
