import type { ImportError, ImportResult } from "@yixian/contracts";
import { sql } from "kysely";
import type { Tx } from "../../../db/database.ts";
import { inTransaction, type Ctx } from "../../context.ts";
import { DomainError } from "../../errors.ts";
import { recordAudit } from "../../shared/audit.ts";
import { customerSettings } from "../tenant-settings.ts";
import { RowError, writeRow, type ImportTally } from "./import-row.ts";
import { parseRow, type ParsedRow } from "./parse-row.ts";
import { readSheet } from "./read-sheet.ts";

/** Rows per transaction: long enough to be quick, short enough not to hold the database. */
const CHUNK = 200;

const emptyTally = (): ImportTally => ({ createdCompanies: new Set(), updatedCompanies: new Set(), createdContacts: new Set(), updatedContacts: new Set() });

function addInto(total: ImportTally, row: ImportTally): void {
  for (const id of row.createdCompanies) total.createdCompanies.add(id);
  for (const id of row.createdContacts) total.createdContacts.add(id);
  for (const id of row.updatedCompanies) if (!total.createdCompanies.has(id)) total.updatedCompanies.add(id);
  for (const id of row.updatedContacts) if (!total.createdContacts.has(id)) total.updatedContacts.add(id);
}

/** One row in its own savepoint: a bad row leaves nothing behind and the good ones stay. */
async function importRow(tx: Tx, ctx: Ctx, parsed: ParsedRow, total: ImportTally, errors: ImportError[]): Promise<void> {
  const tally = emptyTally();
  await sql`savepoint import_row`.execute(tx);
  try {
    await writeRow(tx, ctx, parsed, tally);
    await sql`release savepoint import_row`.execute(tx);
    addInto(total, tally);
  } catch (err) {
    await sql`rollback to savepoint import_row`.execute(tx);
    if (err instanceof RowError) errors.push({ row: parsed.row, column: err.column, code: err.code, message: err.message });
    else if (err instanceof DomainError) errors.push({ row: parsed.row, code: err.code, message: err.message });
    else throw err;
  }
}

/**
 * Imports companies and contacts from a CSV (UTF-8 or GB18030) or .xlsx sheet. Each row
 * upserts its company (by verification code, else name) and contact (by phone, else e-mail);
 * a bad row is reported with its row number and column and does not stop the others.
 */
export async function importCustomers(ctx: Ctx, file: { data: Buffer; filename: string }): Promise<ImportResult> {
  const sheet = await readSheet(file.data, file.filename);
  const { defaultCountry } = await customerSettings(ctx.deps.db, ctx);
  const errors: ImportError[] = [];
  const good: ParsedRow[] = [];
  for (const row of sheet) {
    const parsed = parseRow(row, defaultCountry);
    if ("ok" in parsed) good.push(parsed.ok);
    else errors.push(...parsed.errors);
  }
  const total = emptyTally();
  for (let i = 0; i < good.length; i += CHUNK) {
    await inTransaction(ctx, async (tx) => {
      for (const parsed of good.slice(i, i + CHUNK)) await importRow(tx, ctx, parsed, total, errors);
    });
  }
  const result: ImportResult = {
    created: { companies: total.createdCompanies.size, contacts: total.createdContacts.size },
    updated: { companies: total.updatedCompanies.size, contacts: total.updatedContacts.size },
    errors: errors.sort((a, b) => a.row - b.row),
  };
  await inTransaction(ctx, (tx) =>
    recordAudit(tx, ctx, {
      action: "customers.imported",
      entityType: "import",
      entityId: null,
      changes: { filename: file.filename, rows: sheet.length, created: result.created, updated: result.updated, errors: errors.length },
    }),
  );
  return result;
}
