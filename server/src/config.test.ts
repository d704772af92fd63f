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
});
