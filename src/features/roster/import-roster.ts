/**
 * Roster import from CSV (Excel next): one row per student, classes created as needed, a
 * per-row error report, and a dry run that writes nothing.
 *
 * Columns (Vietnamese or English headers, any order): `lop|class`, `ho_ten|student_name`,
 * `ngay_sinh|date_of_birth` (dd/mm/yyyy, optional), `ma_hs|student_code` (optional, unique).
 *
 * Re-importing changes nothing, and a crash halfway leaves nothing to undo: a student without a
 * school code gets one derived from the natural key (class + name folded + date of birth), so the
 * unique index on (school, code) turns a repeated insert into "exists". Rows that the natural
 * key cannot tell apart — two pupils of one class with the same name and no date of birth or
 * code to separate them, or a row that matches an existing pupil by name only — are reported as
 * ambiguous, never merged.
 */
import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { foldText } from "../../domain/text.js";
import { isDuplicateKey, type Models } from "../../store/models.js";
import { createSchoolAdmin } from "../../store/school-admin.js";

export interface RosterRowResult {
  /** 1-based line in the file, counting the header as line 1. */
  line: number;
  status: "ok" | "error" | "exists" | "ambiguous";
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

/** The school code of a pupil the school gave none: stable for the same class, name and date of birth. */
export function naturalStudentCode(classGroupId: string, fullName: string, dateOfBirth: string): string {
  const key = [classGroupId, foldText(fullName).replace(/\s+/g, " ").trim(), dateOfBirth].join("|");
  return `nk-${createHash("sha256").update(key).digest("hex").slice(0, 20)}`;
}

const nameKey = (className: string, fullName: string) => `${foldText(className)}|${foldText(fullName).replace(/\s+/g, " ").trim()}`;

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
  const classNames = new Map([...classes].map(([folded, id]) => [id, folded]));
  // Existing pupils of the year's classes by class + folded name, with their dates of birth.
  const existing = new Map<string, string[]>();
  for (const st of await models.Student.find({ classGroupId: { $in: [...classes.values()] } }).lean()) {
    const k = nameKey(classNames.get(st.classGroupId) ?? "", st.fullName);
    existing.set(k, [...(existing.get(k) ?? []), st.dateOfBirth ?? ""]);
  }
  // Rows of this file by class + folded name, to find pupils the file itself cannot tell apart.
  const inFile = new Map<string, { dob: string; code: string }[]>();
  for (const record of data) {
    const get = (name: string) => record[columns.indexOf(name as never)]?.trim() ?? "";
    const k = nameKey(get("className"), get("fullName"));
    inFile.set(k, [...(inFile.get(k) ?? []), { dob: parseVietnameseDate(get("dateOfBirth")) ?? get("dateOfBirth"), code: get("studentCode") }]);
  }
  const seenCodes = new Set<string>();
  const rows: RosterRowResult[] = [];
  let created = 0;
  for (const [i, record] of data.entries()) {
    const line = i + 2;
    const get = (name: string) => record[columns.indexOf(name as never)]?.trim() ?? "";
    const className = get("className"), fullName = get("fullName"), dobRaw = get("dateOfBirth"), studentCode = get("studentCode");
    const fail = (error: string) => rows.push({ line, status: "error", className, studentName: fullName, error });
    const report = (status: "exists" | "ambiguous", error?: string) => rows.push({ line, status, className, studentName: fullName, ...(error ? { error } : {}) });
    if (!className) { fail("missing class"); continue; }
    if (!fullName) { fail("missing student name"); continue; }
    if (fullName.length > 100) { fail("student name longer than 100 characters"); continue; }
    const dateOfBirth = dobRaw ? parseVietnameseDate(dobRaw) : "";
    if (dateOfBirth === undefined) { fail(`date of birth "${dobRaw}" is not dd/mm/yyyy`); continue; }
    if (studentCode && seenCodes.has(studentCode)) { fail(`student code ${studentCode} appears twice in the file`); continue; }
    if (studentCode) seenCodes.add(studentCode);
    if (studentCode && (await models.Student.countDocuments({ schoolId: input.schoolId, studentCode })) > 0) { report("exists"); continue; }
    if (!studentCode) {
      const k = nameKey(className, fullName);
      const twins = (inFile.get(k) ?? []).filter((r) => !r.code);
      if (twins.filter((r) => r.dob === dateOfBirth).length > 1 || (twins.length > 1 && !dateOfBirth)) {
        report("ambiguous", "two pupils of this class with the same name and nothing to tell them apart: add the date of birth or the student code");
        continue;
      }
      const known = existing.get(k) ?? [];
      if (known.includes(dateOfBirth)) { report("exists"); continue; }
      if (known.length > 0 && (!dateOfBirth || known.includes(""))) {
        report("ambiguous", "a pupil of this class has this name already and the date of birth cannot tell them apart: add the date of birth or the student code");
        continue;
      }
    }
    if (!input.dryRun) {
      let classId = classes.get(foldText(className));
      if (!classId) {
        classId = await createOrFindClass(models, admin, { schoolId: input.schoolId, yearId: input.yearId, name: className });
        classes.set(foldText(className), classId);
      }
      try {
        await admin.addStudent({ schoolId: input.schoolId, classGroupId: classId, fullName, dateOfBirth, studentCode: studentCode || naturalStudentCode(classId, fullName, dateOfBirth) });
      } catch (err) {
        // Imported already (a re-run after a crash, or a concurrent import): the unique code says so.
        if (!isDuplicateKey(err)) throw err;
        report("exists");
        continue;
      }
    }
    created++;
    rows.push({ line, status: "ok", className, studentName: fullName });
  }
  return { rows, created, errors: rows.filter((r) => r.status === "error" || r.status === "ambiguous").length };
}

/** The class of this name in the year, created when missing (a concurrent creator wins on the unique name). */
async function createOrFindClass(models: Models, admin: ReturnType<typeof createSchoolAdmin>, input: { schoolId: string; yearId: string; name: string }): Promise<string> {
  try {
    return (await admin.createClass(input))._id;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const found = await models.ClassGroup.findOne({ yearId: input.yearId, name: input.name.trim() }).lean();
    if (!found) throw err;
    return found._id;
  }
}
