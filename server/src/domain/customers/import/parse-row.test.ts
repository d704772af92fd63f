import { describe, expect, it } from "vitest";
import { columnOf } from "./columns.ts";
import { parseDate, parseRow, parseServicePack } from "./parse-row.ts";

describe("import row parsing", () => {
  it("reads service packs in English and Chinese", () => {
    expect(parseServicePack("VIP")).toBe("vip");
    expect(parseServicePack("增值服务包")).toBe("value_added");
    expect(parseServicePack("value-added")).toBe("value_added");
    expect(parseServicePack("标准服务")).toBe("standard");
    expect(parseServicePack("在线")).toBe("online");
    expect(parseServicePack("gold")).toBeNull();
  });

  it("reads dates in the forms spreadsheets produce and refuses impossible ones", () => {
    expect(parseDate("2025-06-30")).toBe("2025-06-30");
    expect(parseDate("2025/6/3")).toBe("2025-06-03");
    expect(parseDate("2025年6月30日")).toBe("2025-06-30");
    expect(parseDate("2025-02-30")).toBeNull();
    expect(parseDate("next year")).toBeNull();
  });

  it("maps Chinese and English headers to the same columns", () => {
    expect(columnOf(" 公司 ")).toBe("company");
    expect(columnOf("服务验证码")).toBe("verification_code");
    expect(columnOf("Contact Name")).toBe("contact_name");
    expect(columnOf("E-mail")).toBe("email");
    expect(columnOf("remarks")).toBeNull();
  });

  it("normalises a good row", () => {
    const parsed = parseRow(
      { row: 2, cells: { company: "上海一线", verification_code: "246810", service_pack: "VIP", service_expires_on: "2026/1/31", contact_name: "李雷", phone: "021-6123 4567", email: "Li@Example.com" } },
      "CN",
    );
    expect(parsed).toEqual({
      ok: {
        row: 2,
        company: { name: "上海一线", verificationCode: "246810", servicePack: "vip", serviceExpiresOn: "2026-01-31", group: undefined },
        contact: {
          name: "李雷",
          title: undefined,
          phone: { kind: "phone", value: "+862161234567", displayValue: "021-6123 4567" },
          email: { kind: "email", value: "li@example.com", displayValue: "Li@Example.com" },
        },
      },
    });
  });

  it("reports every bad cell of a row with its column and code", () => {
    const parsed = parseRow({ row: 7, cells: { company: "X", verification_code: "12a", service_pack: "gold", phone: "12345", email: "nope" } }, "CN");
    expect("errors" in parsed && parsed.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [7, "verification_code", "VALIDATION_FAILED"],
      [7, "service_pack", "VALIDATION_FAILED"],
      [7, "phone", "INVALID_PHONE"],
      [7, "email", "VALIDATION_FAILED"],
    ]);
  });
});
