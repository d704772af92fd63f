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
});
