import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password.ts";

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one; hashes are salted", async () => {
    const a = await hashPassword("密码 correct horse");
    const b = await hashPassword("密码 correct horse");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("密码 correct horse", a)).toBe(true);
    expect(await verifyPassword("密码 correct horsE", a)).toBe(false);
    expect(await verifyPassword("anything", "md5$abc")).toBe(false);
  });
});
