/**
 * An uploaded roster file → a grid of strings: .xlsx through exceljs (the first worksheet with
 * a roster header; merged cells read as their master's value, dates as dd/mm/yyyy), .csv
 * through csv-parse. Anything else — a picture renamed .xlsx, an empty sheet, a zip bomb —
 * is refused with a message naming the problem, before anything is written.
 */
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { findHeader } from "../../domain/roster.js";

/** A file that cannot be a roster; the message is Vietnamese, shown as is to the office. */
export class RosterFileError extends Error {
  override name = "RosterFileError";
}

export const MAX_ROSTER_BYTES = 5 * 1024 * 1024;
/** Largest total an .xlsx may unpack to (a real roster of 3,000 pupils is under 5 MB). */
const MAX_UNZIPPED_BYTES = 60 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 2000;

/**
 * Reads a zip's central directory and refuses one that would unpack to more than we allow:
 * exceljs inflates whole parts in memory, so a zip bomb must be stopped before it.
 */
export function checkZip(buf: Buffer): void {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > buf.length) throw new RosterFileError("Tệp .xlsx bị hỏng hoặc không phải tệp Excel.");
  const entries = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  if (entries > MAX_ZIP_ENTRIES) throw new RosterFileError("Tệp Excel có quá nhiều thành phần, không phải một danh sách học sinh.");
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > buf.length || buf.readUInt32LE(offset) !== 0x02014b50) throw new RosterFileError("Tệp .xlsx bị hỏng hoặc không phải tệp Excel.");
    total += buf.readUInt32LE(offset + 24);
    if (total > MAX_UNZIPPED_BYTES) throw new RosterFileError("Tệp Excel giải nén ra quá lớn (nghi là tệp độc hại); nhà trường vui lòng xuất lại danh sách.");
    offset += 46 + buf.readUInt16LE(offset + 28) + buf.readUInt16LE(offset + 30) + buf.readUInt16LE(offset + 32);
  }
}

const pad = (n: number) => String(n).padStart(2, "0");

function cellText(cell: ExcelJS.Cell): string {
  const v = (cell.isMerged ? cell.master : cell).value;
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return `${pad(v.getUTCDate())}/${pad(v.getUTCMonth() + 1)}/${v.getUTCFullYear()}`;
  if (typeof v === "object") {
    if ("richText" in v) return v.richText.map((t) => t.text).join("").trim();
    if ("text" in v) return String(v.text).trim();
    if ("result" in v) return v.result instanceof Date ? cellText({ value: v.result, isMerged: false } as ExcelJS.Cell) : String(v.result ?? "").trim();
    return "";
  }
  return String(v).trim();
}

async function readXlsx(buf: Buffer): Promise<string[][]> {
  checkZip(buf);
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new RosterFileError("Không đọc được tệp Excel (.xlsx): tệp bị hỏng hoặc không phải bảng tính.");
  }
  let first: string[][] | undefined;
  for (const sheet of book.worksheets) {
    const grid: string[][] = [];
    for (let r = 1; r <= Math.min(sheet.rowCount, 10_000); r++) {
      const row = sheet.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= Math.min(sheet.columnCount, 60); c++) cells.push(cellText(row.getCell(c)));
      grid.push(cells);
    }
    first ??= grid;
    if (findHeader(grid)) return grid;
  }
  return first ?? [];
}

/** The file's rows as text. Throws RosterFileError for a file that is not a readable table. */
export async function readRosterFile(buf: Buffer, fileName: string): Promise<string[][]> {
  if (buf.length === 0) throw new RosterFileError("Tệp trống.");
  if (buf.length > MAX_ROSTER_BYTES) throw new RosterFileError(`Tệp lớn hơn ${MAX_ROSTER_BYTES / 1024 / 1024} MB: một danh sách học sinh không lớn như vậy.`);
  const isZip = buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  if (/\.xlsx$/i.test(fileName) || isZip) {
    if (!isZip) throw new RosterFileError("Tệp có đuôi .xlsx nhưng không phải tệp Excel (có thể là ảnh hoặc tệp khác đổi tên).");
    return readXlsx(buf);
  }
  if (/\.xls$/i.test(fileName)) throw new RosterFileError("Tệp .xls (Excel 97-2003) chưa được hỗ trợ: vui lòng lưu lại thành .xlsx hoặc .csv.");
  const text = buf.toString("utf8");
  if (text.includes("\u0000") || text.includes("\uFFFD")) throw new RosterFileError("Tệp không phải .xlsx hay .csv (UTF-8).");
  try {
    return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch {
    throw new RosterFileError("Không đọc được tệp CSV: kiểm tra dấu phẩy và dấu ngoặc kép.");
  }
}
