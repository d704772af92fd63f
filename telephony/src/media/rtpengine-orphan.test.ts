import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, expect, it } from "vitest";
import { rtpengineInstalled } from "./rtpengine-process.ts";
import { freeUdpPort } from "./testing/rtp-peer.ts";

/** Running, not gone and not a zombie waiting to be reaped. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
};

const dir = mkdtempSync(join(tmpdir(), "yx-rtpengine-orphan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("does not outlive a server that is killed: its rtpengine goes with it and frees the ports", { timeout: 30_000 }, async () => {
  expect(rtpengineInstalled(), "rtpengine is not installed: run scripts/test-services.sh").toBe(true);
  const [ngPort, dtmfPort] = [await freeUdpPort(), await freeUdpPort()];
  const portMin = 40000 + Math.floor(Math.random() * 200) * 100;
  // a server process that starts its rtpengine, says its pid, and is then killed without a chance to stop it
  const script = `
    import { RtpengineProcess } from ${JSON.stringify(new URL("./rtpengine-process.ts", import.meta.url).pathname)};
    const r = new RtpengineProcess({ workDir: ${JSON.stringify(dir)}, ngPort: ${ngPort}, dtmfPort: ${dtmfPort}, portMin: ${portMin}, portMax: ${portMin + 99} });
    await r.start();
    console.log("rtpengine " + r.pid);
    setInterval(() => {}, 1000);`;
  const server = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: server.stdout! });
  const pid = await new Promise<number>((resolve, reject) => {
    lines.on("line", (line) => {
      const m = /^rtpengine (\d+)$/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    server.once("exit", (code) => reject(new Error(`the server exited (${code}) before rtpengine answered`)));
  });
  expect(alive(pid)).toBe(true);
  server.kill("SIGKILL");
  await expect.poll(() => alive(pid), { timeout: 10_000, interval: 50 }).toBe(false);
});
