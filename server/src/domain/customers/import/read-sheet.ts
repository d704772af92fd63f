import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { DomainError } from "../../errors.ts";
import { columnOf, type ImportColumn } from "./columns.ts";

export interface SheetRow {
  /** Row number as a spreadsheet shows it: the header is row 1. */
  row: number;
  cells: Partial<Record<ImportColumn, string>>;
}

const invalid = (message: string) => new DomainError("IMPORT_INVALID_FILE", message);

function isXlsx(data: Buffer): boolean {
  // an .xlsx file is a zip archive
  return data.length > 4 && data.readUInt32LE(0) === 0x04034b50;
}

function isLegacyXls(data: Buffer): boolean {
  return data.length > 8 && data.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
}

/** CSV text: UTF-8 (with or without BOM), or GB18030 as Excel on Chinese Windows saves it. */
function decodeText(data: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    return new TextDecoder("gb18030").decode(data);
  }
}

/** "C" for the third column, as a spreadsheet names it. */
function columnLetters(index: number): string {
  let n = index + 1;
  let out = "";
  while (n > 0) {
    out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/**
 * PostgreSQL cannot store U+0000 in text: a cell holding one refuses the whole file before
 * anything is written, naming the cell, as the JSON routes refuse it in a field.
 */
function refuseNul(table: string[][], rowNumbers: number[]): void {
  table.forEach((values, r) => {
    const c = values.findIndex((v) => v.includes("\u0000"));
    if (c < 0) return;
    const cell = `${columnLetters(c)}${rowNumbers[r] ?? r + 1}`;
    throw new DomainError("IMPORT_INVALID_FILE", `cell ${cell} contains the NUL character (U+0000); nothing was imported`, [{ path: `file.${cell}`, message: "must not contain the NUL character (U+0000)" }]);
  });
}

function toRows(table: string[][], rowNumbers: number[]): SheetRow[] {
  refuseNul(table, rowNumbers);
  const [header, ...body] = table;
  const columns = (header ?? []).map(columnOf);
  if (!columns.some((c) => c === "company" || c === "verification_code" || c === "contact_name" || c === "phone" || c === "email")) {
    throw invalid("the first row must name the columns, e.g. company,verification_code,service_pack,service_expires_on,group,contact_name,title,phone,email");
  }
  const rows: SheetRow[] = [];
  body.forEach((values, i) => {
    const cells: SheetRow["cells"] = {};
    columns.forEach((column, c) => {
      const value = values[c]?.trim();
      if (column && value) cells[column] = value;
    });
    if (Object.keys(cells).length > 0) rows.push({ row: rowNumbers[i + 1] ?? i + 2, cells });
  });
  return rows;
}

function readCsv(data: Buffer): SheetRow[] {
  let table: string[][];
  try {
    table = parse(decodeText(data), { bom: true, relax_column_count: true, skip_empty_lines: false });
  } catch (err) {
    throw invalid(`the CSV cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  return toRows(table, table.map((_r, i) => i + 1));
}

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  // Excel keeps dates as day numbers; exceljs gives them as UTC midnight
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (value && typeof value === "object" && "result" in value && value.result instanceof Date) return value.result.toISOString().slice(0, 10);
  return cell.text;
}

async function readXlsx(data: Buffer): Promise<SheetRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type; Node's is the same bytes
    await workbook.xlsx.load(data as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch (err) {
    throw invalid(`the Excel file cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw invalid("the Excel file has no sheet");
  const table: string[][] = [];
  const numbers: number[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, n) => {
    const values: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) values.push(cellText(row.getCell(c)));
    table.push(values);
    numbers.push(n);
  });
  return toRows(table, numbers);
}

/** The rows of an uploaded CSV or .xlsx (first sheet), keyed by the columns the header names. */
export async function readSheet(data: Buffer, filename: string): Promise<SheetRow[]> {
  if (data.length === 0) throw invalid("the file is empty");
  if (isXlsx(data)) return readXlsx(data);
  if (isLegacyXls(data) || /\.xls$/i.test(filename)) throw invalid("old .xls files are not read; save as .xlsx or CSV (UTF-8)");
  return readCsv(data);
}
