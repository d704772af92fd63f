import { loadConfig } from "./config.ts";
import { demoSipPort, type DemoSipPort } from "./demo/demo-sip-port.ts";
import { existingDemo, seedDemo } from "./demo/seed-demo.ts";
import { createLogger } from "./platform/logger.ts";
import { startServer } from "./server.ts";

let config = loadConfig();
const log = createLogger(config.logLevel);
// the demo hotline answers on this machine's standard SIP port unless the operator chose ports
const demoSip: DemoSipPort = config.seedDemo ? await demoSipPort(config.host, { udp: config.sipUdpPort, tcp: config.sipTcpPort }) : { port: null, why: null };
if (demoSip.port !== null) config = { ...config, sipUdpPort: demoSip.port, sipTcpPort: demoSip.port };
let demo = null as Awaited<ReturnType<typeof seedDemo>>;
let seeded = false;

const server = await startServer(config, {
  log,
  beforeListen: async (deps) => {
    if (!config.seedDemo) return;
    demo = await seedDemo(deps);
    seeded = demo !== null;
    // a later start: the same logins and links again (the data is the user's now)
    demo ??= await existingDemo(deps);
  },
}).catch((err: unknown) => {
  log.fatal({ err }, "Yixian could not start");
  process.exit(1);
});

const lines = [
  "",
  `  Yixian (一线) is running at ${server.url}`,
  `  database: ${server.deps.dbKind}${server.deps.dbKind === "pglite" ? ` (data in ${config.dataDir})` : ""}`,
  `  API: ${server.url}/api   OpenAPI: ${server.url}/api/openapi.json`,
  `  ${server.phone.mediaStatus}`,
  config.host === "127.0.0.1" || config.host === "::1" || config.host === "localhost"
    ? `  listening on ${config.host} only (this machine); HOST=0.0.0.0 makes it reachable from other machines`
    : `  listening on ${config.host}: reachable from other machines; change the demo password (DEMO_PASSWORD) or SEED_DEMO=false`,
];
if (demo) {
  lines.push(
    "",
    seeded
      ? `  Demo tenant "${demo.tenantName}" created. Sign in with any of these (password: ${config.demoPassword}):`
      : `  Demo tenant "${demo.tenantName}" (from an earlier start). Sign in with any of these (password: ${config.demoPassword}, unless changed):`,
  );
  for (const u of demo.logins) lines.push(`    ${u.role.padEnd(19)} ${u.email}`);
  lines.push(
    "",
    `  Agent console: ${server.url}/   (sign in as agent@demo.yixian.dev, go "available")`,
    `  Customer chat (H5 page): ${server.url}/chat/${demo.widgetKey}`,
    `  Embed on a website: <script src="${server.url}/widget.js" data-key="${demo.widgetKey}" async></script>`,
    demo.wallboardPath
      ? `  Queue wallboard (read-only link for a TV): ${server.url}${demo.wallboardPath}`
      : `  Queue wallboard: ${server.url}/wallboard (signed in as supervisor@demo.yixian.dev; the TV link was printed at the first start)`,
  );
  lines.push(...phoneLines(demo.phoneNumber));
}
lines.push("");

/** How to call the demo hotline from this machine, or why it cannot be called yet. */
function phoneLines(number: string | null): string[] {
  if (!number) return [];
  const port = config.sipUdpPort ?? config.sipTcpPort;
  if (!server.phone.calls) return [`  Demo hotline ${number}: ${server.phone.mediaStatus}`];
  if (port === null || port === 0) return [`  Demo hotline ${number}: ${demoSip.why ?? "SIP over UDP/TCP is off; set SIP_UDP_PORT=5060 to call it"}`];
  const host = config.sipAddress.includes(":") ? `[${config.sipAddress}]` : config.sipAddress;
  return [
    `  Demo hotline: sip:${number}@${host}:${port} (UDP/TCP; the agent's console rings once they are "available")`,
    port === 5060 && host === "127.0.0.1"
      ? `    e.g. npm run demo:call   (sipp as the customer 王建国 with audio; Debian: apt-get install sip-tester)`
      : `    e.g. sipp -sn uac -s ${number} -d 60000 -m 1 ${host}:${port}   (a 60 s call; Debian: apt-get install sip-tester)`,
  ];
}
// Log lines written so far come out before the banner, which is one write: nothing lands inside it.
await new Promise<void>((resolve) => log.flush(() => resolve()));
process.stdout.write(lines.join("\n") + "\n");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    server
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, "unclean shutdown");
        process.exit(1);
      });
  });
}
