/**
 * Reading a school's roster table, whatever program exported it (SMAS, vnEdu, the ministry
 * database, or a teacher's own sheet): which row holds the headers (a title above, a merged
 * two-row header as Excel exports have it), which column is which in its usual Vietnamese
 * variants with or without diacritics, class names in their regional forms, and Vietnamese
 * phone numbers. Pure: a grid of strings in, plain values out.
 */
import { foldText } from "./text.js";

export type RosterColumn = "className" | "fullName" | "dateOfBirth" | "studentCode" | "guardianName" | "guardianPhone";

const fold = (s: string) => foldText(s).replace(/[_./\\-]+/g, " ").replace(/\s+/g, " ").trim();

/** What a header cell names, or undefined for columns we ignore (STT, Giới tính, Ghi chú…). */
export function classifyHeader(label: string): RosterColumn | undefined {
  const h = fold(label);
  if (!h) return undefined;
  if (/\b(sdt|so dien thoai|dien thoai|dt lien he|phone|mobile)\b/.test(h)) return "guardianPhone";
  if (/\b(cha|me|phu huynh|bo me|nguoi giam ho|guardian|parent)\b/.test(h)) return /\b(ten|name)\b/.test(h) ? "guardianName" : undefined;
  if (/\b(ngay sinh|ngay thang nam sinh|date of birth|dob|birth ?date)\b/.test(h)) return "dateOfBirth";
  if (/\b(ma hoc sinh|ma hs|ma dinh danh|ma so hoc sinh|student code|student id)\b/.test(h)) return "studentCode";
  if (/^(lop|ten lop|lop hoc|class|class name)$/.test(h) || /\blop$/.test(h)) return "className";
  if (/\b(ho va ten|ho ten|ten hoc sinh|student name|full name)\b/.test(h) || h === "name" || h === "ten") return "fullName";
  return undefined;
}

export interface HeaderMatch {
  /** 0-based index of the first data row. */
  dataStart: number;
  /** Column index of each recognised column. */
  columns: Partial<Record<RosterColumn, number>>;
}

/**
 * Finds the header: one row, or two rows where the upper one is merged over sub-headers
 * ("Thông tin phụ huynh" over "Họ tên" / "SĐT"), within the first 15 rows. Each column's label
 * is its cells in the header rows joined. The match needs a class and a name column; the one
 * that recognises the most columns wins. Undefined when the table is not a roster.
 */
export function findHeader(grid: string[][]): HeaderMatch | undefined {
  let best: (HeaderMatch & { score: number }) | undefined;
  for (let r = 0; r < Math.min(grid.length, 15); r++) {
    for (const span of [1, 2]) {
      if (r + span > grid.length) continue;
      const width = Math.max(...grid.slice(r, r + span).map((row) => row.length));
      const columns: Partial<Record<RosterColumn, number>> = {};
      for (let c = 0; c < width; c++) {
        const cells = grid.slice(r, r + span).map((row) => (row[c] ?? "").trim());
        // The lower cell alone first (a sub-header), then upper + lower ("Phụ huynh" + "Họ tên").
        const kind = (span === 2 && cells[0] !== cells[1] ? classifyHeader(`${cells[0]} ${cells[1]}`) : undefined) ?? classifyHeader(cells.filter(Boolean).at(-1) ?? "");
        if (kind && columns[kind] === undefined) columns[kind] = c;
      }
      if (columns.className === undefined || columns.fullName === undefined) continue;
      const score = Object.keys(columns).length * 10 - span;
      if (!best || score > best.score) best = { dataStart: r + span, columns, score };
    }
  }
  return best && { dataStart: best.dataStart, columns: best.columns };
}

/** "Lớp 6A1", "6a1", " 10 a2 " → "6A1", "10A2"; "6/1" stays "6/1". Empty when it is not a class name. */
export function normalizeClassName(input: string): string {
  const s = input.normalize("NFC").replace(/^\s*(lớp|lop|class)\s*/i, "").replace(/\s+/g, "").toUpperCase();
  return /^\d{1,2}[A-Z0-9/.-]{0,6}$/.test(s) ? s : "";
}

/**
 * A Vietnamese phone number as 10 digits starting with 0: "+84 912 345 678", "84912345678",
 * "0912.345.678" and "912345678" (a number cell that lost its 0) → "0912345678". Undefined when
 * it is not a Vietnamese number.
 */
export function normalizeVietnamesePhone(input: string): string | undefined {
  let d = input.replace(/[^\d+]/g, "");
  if (d.startsWith("+84")) d = "0" + d.slice(3);
  else if (d.startsWith("84") && d.length === 11) d = "0" + d.slice(2);
  else if (d.length === 9 && !d.startsWith("0")) d = "0" + d;
  return /^0[235789]\d{8}$/.test(d) ? d : undefined;
}
