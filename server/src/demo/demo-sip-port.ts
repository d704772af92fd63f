import { createSocket } from "node:dgram";
import { createServer } from "node:net";

/** The standard SIP port: the demo hotline answers there on this machine when it is free. */
export const DEMO_SIP_PORT = 5060;

/** The port to open, or null and why not (null: nothing to say, the operator chose). */
export type DemoSipPort = { port: number; why?: undefined } | { port: null; why: string | null };

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

function udpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket(host.includes(":") ? "udp6" : "udp4");
    socket.once("error", () => resolve(false));
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

function tcpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * Whether `npm start` opens SIP on port 5060 for the demo: only when the operator set no SIP port,
 * the server listens on this machine only, and both the UDP and the TCP port are free. Answers
 * why not otherwise (null: nothing to say, the operator chose).
 */
export async function demoSipPort(
  host: string,
  configured: { udp: number | null; tcp: number | null },
  port = DEMO_SIP_PORT,
): Promise<DemoSipPort> {
  if (configured.udp !== null || configured.tcp !== null || !LOOPBACK.has(host)) return { port: null, why: null };
  const address = host === "localhost" ? "127.0.0.1" : host;
  if ((await udpFree(address, port)) && (await tcpFree(address, port))) return { port };
  return { port: null, why: `SIP port ${port} is in use on ${address}: set SIP_UDP_PORT (and SIP_TCP_PORT) to call the demo hotline` };
}
