import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { applyCustomFields, type FieldDefinition } from "./validate-custom-fields.ts";

const defs: FieldDefinition[] = [
  { key: "serial", type: "text", options: [], required: true },
  { key: "copies", type: "number", options: [], required: false },
  { key: "on_site", type: "boolean", options: [], required: false },
  { key: "bought_on", type: "date", options: [], required: false },
  { key: "model", type: "select", options: ["HP M104", "Canon LBP2900"], required: false },
];

function failure(fn: () => unknown): { code: string; key: unknown } {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return { code: err.code, key: (err.details as { key?: unknown } | undefined)?.key };
    throw err;
  }
  throw new Error("expected a failure");
}

describe("custom field values", () => {
  it("accepts values of each type and merges them into the current ones", () => {
    const result = applyCustomFields(defs, { serial: "A1" }, { copies: 3, on_site: true, bought_on: "2024-02-29", model: "HP M104" });
    expect(result).toEqual({ serial: "A1", copies: 3, on_site: true, bought_on: "2024-02-29", model: "HP M104" });
  });

  it("removes a value set to null", () => {
    expect(applyCustomFields(defs, { serial: "A1", copies: 2 }, { copies: null })).toEqual({ serial: "A1" });
  });

  it("refuses unknown keys and wrong types with INVALID_CUSTOM_FIELD and the key", () => {
    expect(failure(() => applyCustomFields(defs, { serial: "A1" }, { colour: "red" }))).toEqual({ code: "INVALID_CUSTOM_FIELD", key: "colour" });
    expect(failure(() => applyCustomFields(defs, { serial: "A1" }, { copies: "3" }))).toEqual({ code: "INVALID_CUSTOM_FIELD", key: "copies" });
    expect(failure(() => applyCustomFields(defs, { serial: "A1" }, { on_site: "yes" }))).toEqual({ code: "INVALID_CUSTOM_FIELD", key: "on_site" });
    expect(failure(() => applyCustomFields(defs, { serial: "A1" }, { bought_on: "2023-02-29" }))).toEqual({ code: "INVALID_CUSTOM_FIELD", key: "bought_on" });
    expect(failure(() => applyCustomFields(defs, { serial: "A1" }, { model: "Epson" }))).toEqual({ code: "INVALID_CUSTOM_FIELD", key: "model" });
  });

  it("requires required fields to hold a value", () => {
    expect(failure(() => applyCustomFields(defs, {}, { copies: 1 }))).toEqual({ code: "INVALID_CUSTOM_FIELD", key: "serial" });
    expect(failure(() => applyCustomFields(defs, { serial: "A1" }, { serial: "" }))).toEqual({ code: "INVALID_CUSTOM_FIELD", key: "serial" });
  });

  it("keeps values of deleted definitions and lets them be cleared", () => {
    expect(applyCustomFields(defs, { serial: "A1", old: "x" }, { copies: 1 })).toEqual({ serial: "A1", old: "x", copies: 1 });
    expect(applyCustomFields(defs, { serial: "A1", old: "x" }, { old: null })).toEqual({ serial: "A1" });
  });
});
