import { PHONE_REGIONS, ZCountryCode } from "@yixian/contracts";
import { getCountries } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { normalisePhone } from "./phone.ts";

describe("normalisePhone with China as the default country", () => {
  it.each([
    ["021-6123 4567", "+862161234567", "02161234567"],
    ["(021)61234567", "+862161234567", "02161234567"],
    ["02161234567", "+862161234567", "02161234567"],
    ["+862161234567", "+862161234567", "02161234567"],
    ["+86 (0)21 6123 4567", "+862161234567", "02161234567"],
    ["0086 21 6123 4567", "+862161234567", "02161234567"],
    // the country code typed without a plus, as some trunks present it
    ["862161234567", "+862161234567", "02161234567"],
    ["010-12345678", "+861012345678", "01012345678"],
    ["+86 138 0013 8000", "+8613800138000", "13800138000"],
    ["008613800138000", "+8613800138000", "13800138000"],
    ["8613800138000", "+8613800138000", "13800138000"],
    ["13800138000", "+8613800138000", "13800138000"],
    [" 138-0013-8000 ", "+8613800138000", "13800138000"],
    ["１３８００１３８０００", "+8613800138000", "13800138000"],
    ["tel:+8613800138000", "+8613800138000", "13800138000"],
    ["4008-123-456", "+864008123456", "4008123456"],
    ["400-812-3456", "+864008123456", "4008123456"],
    ["800-820-8820", "+868008208820", "8008208820"],
    ["021-61234567转8001", "+862161234567", "02161234567"],
    ["021-61234567 分机 8001", "+862161234567", "02161234567"],
    ["021-61234567 ext. 8001", "+862161234567", "02161234567"],
    ["13800138000 x123", "+8613800138000", "13800138000"],
    ["+1 650 253 0000", "+16502530000", "6502530000"],
    ["0044 20 7946 0958", "+442079460958", "02079460958"],
  ])("%s → %s", (input, e164, national) => {
    const phone = normalisePhone(input, "CN");
    expect(phone.e164).toBe(e164);
    expect(phone.nationalDigits).toBe(national);
    expect(phone.display).toBe(input.trim());
  });

  it.each([
    "12345",
    "95588",
    "6123 4567",
    "1380013800",
    "021-61234567-8001",
    "+8686",
    "abc",
    "",
    "+",
    "13800138000abc",
    "abc13800138000",
    "1380013800O",
    "+86 138 0013 8000 call me",
    "138\u00000138000",
  ])("refuses %j as INVALID_PHONE", (input) => {
    expect(() => normalisePhone(input, "CN")).toThrow(DomainError);
    try {
      normalisePhone(input, "CN");
    } catch (err) {
      expect((err as DomainError).code).toBe("INVALID_PHONE");
    }
  });

  it("reads national numbers in another tenant's country", () => {
    expect(normalisePhone("020 7946 0958", "GB").e164).toBe("+442079460958");
    expect(normalisePhone("+86 138 0013 8000", "GB").e164).toBe("+8613800138000");
  });

  it("accepts only international forms when the tenant's country is unknown", () => {
    expect(normalisePhone("+8613800138000", "XX").e164).toBe("+8613800138000");
    expect(() => normalisePhone("13800138000", "XX")).toThrow(DomainError);
  });
});

describe("the countries a tenant may choose", () => {
  it("are exactly the regions the phone parser knows", () => {
    expect([...PHONE_REGIONS].sort()).toEqual([...getCountries()].sort());
  });

  it("refuse codes it does not know", () => {
    expect(ZCountryCode.safeParse("CN").success).toBe(true);
    for (const code of ["ZZ", "XX", "cn", "CHN", ""]) expect(ZCountryCode.safeParse(code).success, code).toBe(false);
  });
});
