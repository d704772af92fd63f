import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

describe("configuration", () => {
  it("has defaults that run the product with no environment at all", () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeNull();
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.seedDemo).toBe(true);
  });

  it("listens on the loopback interface unless HOST says otherwise", () => {
    expect(loadConfig({}).host).toBe("127.0.0.1");
    expect(loadConfig({ HOST: "0.0.0.0" }).host).toBe("0.0.0.0");
    expect(() => loadConfig({ HOST: "" })).toThrow(/HOST/);
  });

  it("stops with a readable message naming each bad variable", () => {
    expect(() => loadConfig({ PORT: "http", DATABASE_URL: "mysql://x" })).toThrow(/PORT[\s\S]*DATABASE_URL: must be a postgres:\/\/ URL/);
  });

  it("beats every 5 s and takes a node silent for 20 s as dead, and refuses a timeout under two beats", () => {
    expect(loadConfig({})).toMatchObject({ nodeHeartbeatMs: 5_000, nodeTimeoutMs: 20_000 });
    expect(() => loadConfig({ NODE_HEARTBEAT_MS: "1000", NODE_TIMEOUT_MS: "1500" })).toThrow(/NODE_TIMEOUT_MS: must be at least twice NODE_HEARTBEAT_MS/);
  });

  it("tells phones the address they reach: HOST, else this machine's outside address (never 0.0.0.0), else SIP_ADDRESS; behind NAT SIP_PUBLIC_ADDRESS", () => {
    expect(loadConfig({})).toMatchObject({ sipAddress: "127.0.0.1", sipPublicAddress: null });
    expect(loadConfig({ HOST: "192.0.2.7" }).sipAddress).toBe("192.0.2.7");
    const everywhere = loadConfig({ HOST: "0.0.0.0" }).sipAddress;
    expect(everywhere).not.toBe("0.0.0.0");
    expect(everywhere).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(loadConfig({ HOST: "0.0.0.0", SIP_ADDRESS: "10.1.2.3", SIP_PUBLIC_ADDRESS: "203.0.113.9" })).toMatchObject({ sipAddress: "10.1.2.3", sipPublicAddress: "203.0.113.9" });
    // docker-compose passes an unset variable as empty
    expect(loadConfig({ SIP_ADDRESS: "", SIP_PUBLIC_ADDRESS: "" })).toMatchObject({ sipAddress: "127.0.0.1", sipPublicAddress: null });
    expect(() => loadConfig({ SIP_PUBLIC_ADDRESS: "pbx.example.com" })).toThrow(/SIP_PUBLIC_ADDRESS: an IP address/);
  });

  it("listens for SIP over TLS only with a certificate and key it can read; calls out over TLS need none", () => {
    expect(loadConfig({}).sipTls).toEqual({ port: null, certFile: null, keyFile: null, caFile: null });
    expect(() => loadConfig({ SIP_TLS_PORT: "5061" })).toThrow(/SIP_TLS_CERT, SIP_TLS_KEY: both are needed/);
    expect(() => loadConfig({ SIP_TLS_CERT: "package.json" })).toThrow(/both are needed/);
    expect(() => loadConfig({ SIP_TLS_PORT: "5061", SIP_TLS_CERT: "package.json", SIP_TLS_KEY: "no-such-key.pem" })).toThrow(/SIP_TLS_KEY: cannot read .*no-such-key\.pem/);
    expect(() => loadConfig({ SIP_TLS_CA: "no-such-ca.pem" })).toThrow(/SIP_TLS_CA: cannot read/);
    expect(loadConfig({ SIP_TLS_PORT: "5061", SIP_TLS_CERT: "package.json", SIP_TLS_KEY: "package.json" }).sipTls).toMatchObject({ port: 5061, certFile: expect.stringMatching(/\/package\.json$/) });
  });
});
