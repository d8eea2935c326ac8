/**
 * Roster import from CSV (Excel next): one row per student, classes created as needed, a
 * per-row error report, and a dry run that writes nothing.
 *
 * Columns (Vietnamese or English headers, any order): `lop|class`, `ho_ten|student_name`,
 * `ngay_sinh|date_of_birth` (dd/mm/yyyy, optional), `ma_hs|student_code` (optional, unique).
 */
import { parse } from "csv-parse/sync";
import { foldText } from "../domain/text.js";
import type { Models } from "./models.js";
import { createSchoolAdmin } from "./school-admin.js";

export interface RosterRowResult {
  /** 1-based line in the file, counting the header as line 1. */
  line: number;
  status: "ok" | "error" | "exists";
  className?: string;
  studentName?: string;
  error?: string;
}

const HEADERS: Record<string, "className" | "fullName" | "dateOfBirth" | "studentCode"> = {
  lop: "className", class: "className", "ten lop": "className",
  "ho ten": "fullName", ho_ten: "fullName", student_name: "fullName", name: "fullName", "ho va ten": "fullName",
  ngay_sinh: "dateOfBirth", "ngay sinh": "dateOfBirth", date_of_birth: "dateOfBirth", dob: "dateOfBirth",
  ma_hs: "studentCode", "ma hs": "studentCode", "ma hoc sinh": "studentCode", student_code: "studentCode",
};

/** Validates a Vietnamese date "dd/mm/yyyy" (also d/m/yyyy) and returns it zero-padded. */
export function parseVietnameseDate(input: string): string | undefined {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(input.trim());
  if (!m) return undefined;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${String(d).padStart(2, "0")}/${String(mo).padStart(2, "0")}/${y}`;
}

/** Imports a roster CSV into a school year. With `dryRun`, validates only. */
export async function importRoster(
  models: Models,
  input: { schoolId: string; yearId: string; csv: string; dryRun: boolean },
): Promise<{ rows: RosterRowResult[]; created: number; errors: number }> {
  const records: string[][] = parse(input.csv, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  const [header, ...data] = records;
  if (!header) return { rows: [], created: 0, errors: 0 };
  const columns = header.map((h) => HEADERS[foldText(h).replace(/_/g, " ")] ?? HEADERS[foldText(h)]);
  for (const needed of ["className", "fullName"] as const)
    if (!columns.includes(needed)) throw new Error(`roster CSV needs a ${needed === "className" ? "lop/class" : "ho_ten/student_name"} column`);

  const admin = createSchoolAdmin(models);
  const classes = new Map((await models.ClassGroup.find({ yearId: input.yearId }).lean()).map((c) => [foldText(c.name), c._id]));
  const seenCodes = new Set<string>();
  const rows: RosterRowResult[] = [];
  let created = 0;
  for (const [i, record] of data.entries()) {
    const line = i + 2;
    const get = (name: string) => record[columns.indexOf(name as never)]?.trim() ?? "";
    const className = get("className"), fullName = get("fullName"), dobRaw = get("dateOfBirth"), studentCode = get("studentCode");
    const fail = (error: string) => rows.push({ line, status: "error", className, studentName: fullName, error });
    if (!className) { fail("missing class"); continue; }
    if (!fullName) { fail("missing student name"); continue; }
    if (fullName.length > 100) { fail("student name longer than 100 characters"); continue; }
    const dateOfBirth = dobRaw ? parseVietnameseDate(dobRaw) : "";
    if (dateOfBirth === undefined) { fail(`date of birth "${dobRaw}" is not dd/mm/yyyy`); continue; }
    if (studentCode && seenCodes.has(studentCode)) { fail(`student code ${studentCode} appears twice in the file`); continue; }
    if (studentCode) seenCodes.add(studentCode);
    if (studentCode && (await models.Student.countDocuments({ schoolId: input.schoolId, studentCode })) > 0) {
      rows.push({ line, status: "exists", className, studentName: fullName });
      continue;
    }
    if (!input.dryRun) {
      let classId = classes.get(foldText(className));
      if (!classId) {
        classId = (await admin.createClass({ schoolId: input.schoolId, yearId: input.yearId, name: className }))._id;
        classes.set(foldText(className), classId);
      }
      await admin.addStudent({ schoolId: input.schoolId, classGroupId: classId, fullName, dateOfBirth, studentCode });
    }
    created++;
    rows.push({ line, status: "ok", className, studentName: fullName });
  }
  return { rows, created, errors: rows.filter((r) => r.status === "error").length };
}
