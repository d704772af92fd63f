/** Kamailio (Debian `kamailio`) as the baseline of `npm run bench:sip`, with tests/bench/sip/kamailio.cfg. */
import { spawn, spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../../telephony/src/sip/interop/sipp.ts";
import { track } from "./sipp.ts";

export const kamailioInstalled = spawnSync("kamailio", ["-v"], { stdio: "ignore" }).error === undefined;

export interface Kamailio {
  port: number;
  stop(): Promise<void>;
}

/** Resolves once something on 127.0.0.1:port answers an OPTIONS (the config answers 405). */
async function untilAnswering(port: number, timeoutMs = 15_000): Promise<void> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const local = socket.address().port;
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`Kamailio did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`)), timeoutMs);
      socket.on("message", (m) => {
        if (m.toString("latin1").startsWith("SIP/2.0 ")) {
          clearTimeout(deadline);
          clearInterval(probe);
          resolve();
        }
      });
      let n = 0;
      const send = () => {
        const options = [
          `OPTIONS sip:ping@127.0.0.1:${port} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-bench-${n}`,
          "Max-Forwards: 70",
          `From: <sip:bench@127.0.0.1:${local}>;tag=bench`,
          `To: <sip:ping@127.0.0.1:${port}>`,
          `Call-ID: bench-ping-${n}`,
          `CSeq: ${++n} OPTIONS`,
          "Content-Length: 0",
          "",
          "",
        ].join("\r\n");
        socket.send(options, port, "127.0.0.1");
      };
      const probe = setInterval(send, 200);
      send();
    });
  } finally {
    socket.close();
  }
}

export async function startKamailio(o: { dir: string; ngPort: number; answererPort: number; children: number; record: boolean }): Promise<Kamailio> {
  mkdirSync(o.dir, { recursive: true });
  const port = await freePort();
  const config = readFileSync(new URL("./kamailio.cfg", import.meta.url), "utf8")
    .replaceAll("@CHILDREN@", String(o.children))
    .replaceAll("@PORT@", String(port))
    .replaceAll("@NG_PORT@", String(o.ngPort))
    .replaceAll("@UAS_PORT@", String(o.answererPort))
    .replaceAll("@RECORD@", o.record ? "record-call=on" : "");
  const file = join(o.dir, "kamailio.cfg");
  writeFileSync(file, config);
  // -DD: stay in the foreground with the worker processes; -m: shared memory (MB) for the load
  const child = track(spawn("kamailio", ["-f", file, "-DD", "-E", "-m", "1024", "-M", "32", "-Y", o.dir], { stdio: ["ignore", "ignore", "pipe"] }));
  let tail = "";
  child.stderr?.on("data", (chunk: Buffer) => (tail = (tail + chunk.toString("utf8")).slice(-3000)));
  try {
    await Promise.race([
      untilAnswering(port),
      new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`Kamailio exited (${code}): ${tail.trim().split("\n").slice(-3).join(" | ")}`)))),
    ]);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
  return {
    port,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}
