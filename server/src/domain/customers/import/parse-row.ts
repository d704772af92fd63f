import type { ImportError, ServicePack } from "@yixian/contracts";
import { DomainError } from "../../errors.ts";
import { normaliseIdentity, type NormalisedIdentity } from "../identities.ts";
import { IMPORT_COLUMNS, type ImportColumn } from "./columns.ts";
import type { SheetRow } from "./read-sheet.ts";

export interface CompanyCells {
  name?: string;
  verificationCode?: string;
  servicePack?: ServicePack;
  serviceExpiresOn?: string;
  group?: string;
}

export interface ContactCells {
  name?: string;
  title?: string;
  phone?: NormalisedIdentity;
  email?: NormalisedIdentity;
}

export interface ParsedRow {
  row: number;
  company: CompanyCells | null;
  contact: ContactCells | null;
}

const PACKS: Record<string, ServicePack> = {
  online: "online",
  在线: "online",
  standard: "standard",
  标准: "standard",
  vip: "vip",
  value_added: "value_added",
  增值: "value_added",
};

/** online / 在线 / 在线服务包 / VIP / value-added / 增值服务 … → the pack, or null. */
export function parseServicePack(text: string): ServicePack | null {
  const key = text
    .normalize("NFKC")
    .trim()
    .toLowerCase()
    .replace(/服务包|服务|包$/gu, "")
    .replace(/[\s-]+/g, "_");
  return PACKS[key] ?? null;
}

/** 2025-06-30, 2025/6/30, 2025.06.30, 2025年6月30日 → 2025-06-30; null when not a real date. */
export function parseDate(text: string): string | null {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/u.exec(text.normalize("NFKC").trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

const columnOrder = (column: string | undefined) => IMPORT_COLUMNS.findIndex((c) => c === column);

/**
 * Checks and normalises one row before anything is written; every problem in the row is
 * reported, each with its column.
 */
export function parseRow(sheetRow: SheetRow, defaultCountry: string): { ok: ParsedRow } | { errors: ImportError[] } {
  const { row, cells } = sheetRow;
  const errors: ImportError[] = [];
  const fail = (column: ImportColumn, code: string, message: string) => errors.push({ row, column, code, message });
  const identity = (column: "phone" | "email"): NormalisedIdentity | undefined => {
    const raw = cells[column];
    if (!raw) return undefined;
    try {
      return normaliseIdentity(column, raw, defaultCountry);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      fail(column, err.code, err.message);
      return undefined;
    }
  };

  const company: CompanyCells = { name: cells.company, group: cells.group };
  if (cells.verification_code) {
    if (/^[0-9]{4,12}$/.test(cells.verification_code)) company.verificationCode = cells.verification_code;
    else fail("verification_code", "VALIDATION_FAILED", "the verification code must be 4–12 digits");
  }
  if (cells.service_pack) {
    const pack = parseServicePack(cells.service_pack);
    if (pack) company.servicePack = pack;
    else fail("service_pack", "VALIDATION_FAILED", "the service pack must be online, standard, vip or value_added (在线, 标准, VIP, 增值)");
  }
  if (cells.service_expires_on) {
    const date = parseDate(cells.service_expires_on);
    if (date) company.serviceExpiresOn = date;
    else fail("service_expires_on", "VALIDATION_FAILED", "the expiry date must be a date like 2025-06-30");
  }
  const contact: ContactCells = { name: cells.contact_name, title: cells.title, phone: identity("phone"), email: identity("email") };

  const hasCompany = Boolean(cells.company || cells.verification_code);
  if (!hasCompany && (cells.service_pack || cells.service_expires_on || cells.group)) {
    fail("company", "VALIDATION_FAILED", "a service pack, expiry date or group needs a company name or verification code");
  }
  const hasContact = Boolean(cells.contact_name || cells.title || cells.phone || cells.email);
  if (!hasCompany && !hasContact) fail("company", "VALIDATION_FAILED", "the row names neither a company nor a contact");
  if (errors.length > 0) return { errors: errors.sort((a, b) => columnOrder(a.column) - columnOrder(b.column)) };
  return { ok: { row, company: hasCompany ? company : null, contact: hasContact ? contact : null } };
}
