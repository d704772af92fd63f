/**
 * The packets of a pcap file as rtpengine writes them with `recording-method = pcap`: link type
 * RAW (101) or Ethernet (1), IPv4 or IPv6, UDP; anything else in the file is skipped. A file cut
 * short (rtpengine killed mid-write) yields the packets before the cut.
 */
export interface UdpPacket {
  /** Capture time in milliseconds since the epoch. */
  at: number;
  srcPort: number;
  dstPort: number;
  payload: Buffer;
}

export class PcapError extends Error {}

const LINK_ETHERNET = 1;
const LINK_RAW = 101;

export function readPcap(file: Buffer): UdpPacket[] {
  if (file.length < 24) throw new PcapError("pcap file too short for its header");
  const magic = file.readUInt32LE(0);
  let little: boolean;
  let nanos = false;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) little = true;
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) little = false;
  else throw new PcapError("not a pcap file");
  if (magic === 0xa1b23c4d || magic === 0x4d3cb2a1) nanos = true;
  const u32 = (at: number) => (little ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const link = u32(20);
  if (link !== LINK_RAW && link !== LINK_ETHERNET) throw new PcapError(`pcap link type ${link} is not supported`);
  const packets: UdpPacket[] = [];
  let at = 24;
  while (at + 16 <= file.length) {
    const seconds = u32(at);
    const fraction = u32(at + 4);
    const captured = u32(at + 8);
    const start = at + 16;
    at = start + captured;
    if (at > file.length) break;
    const frame = file.subarray(start, at);
    const udp = udpOf(link === LINK_ETHERNET ? frame.subarray(14) : frame);
    if (udp) packets.push({ at: seconds * 1000 + (nanos ? fraction / 1e6 : fraction / 1e3), ...udp });
  }
  return packets;
}

function udpOf(ip: Buffer): Omit<UdpPacket, "at"> | null {
  if (ip.length < 1) return null;
  const version = ip[0]! >> 4;
  let offset: number;
  if (version === 4) {
    if (ip.length < 20 || ip[9] !== 17) return null;
    offset = (ip[0]! & 0x0f) * 4;
  } else if (version === 6) {
    if (ip.length < 40 || ip[6] !== 17) return null;
    offset = 40;
  } else return null;
  if (ip.length < offset + 8) return null;
  return { srcPort: ip.readUInt16BE(offset), dstPort: ip.readUInt16BE(offset + 2), payload: ip.subarray(offset + 8) };
}
