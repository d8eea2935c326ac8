/**
 * Roster import — the same use case from the CLI, the office console and a file sent to the bot:
 * one row per pupil, classes created as needed, a row-by-row report (created / updated /
 * unchanged / rejected and why), and a dry run that writes nothing.
 *
 * Columns are found by `findHeader` (src/domain/roster.ts): class, name, optional date of birth
 * (dd/mm/yyyy), school code, guardian's name and phone — in their usual Vietnamese variants,
 * under a title or a merged two-row header; other columns are ignored.
 *
 * Re-importing changes nothing, and a crash halfway leaves nothing to undo: a pupil without a
 * school code gets one derived from the natural key (class + name folded + date of birth), so the
 * unique index on (school, code) turns a repeated insert into "unchanged". Rows that the natural
 * key cannot tell apart — two pupils of one class with the same name and no date of birth or
 * code to separate them, or a row that matches an existing pupil by name only — are rejected as
 * ambiguous, never merged. Pupils of the file's classes missing from it are listed (`missing`);
 * with `markLeft` (after the office confirmed) they are marked as left, never deleted.
 * Guardians' phones are normalised and kept for the school's own use only (`RosterContact`).
 */
import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { foldText } from "../../domain/text.js";
import { findHeader, normalizeClassName, normalizeVietnamesePhone, type RosterColumn } from "../../domain/roster.js";
import { isDuplicateKey, type Models } from "../../store/models.js";
import { createSchoolAdmin } from "../school/admin.js";

export type RosterRowStatus = "ok" | "updated" | "exists" | "error" | "ambiguous";

export interface RosterRowResult {
  /** 1-based line in the file (a spreadsheet's row number). */
  line: number;
  /** ok = created, updated (contact added or changed), exists = unchanged, error/ambiguous = rejected. */
  status: RosterRowStatus;
  className?: string;
  studentName?: string;
  error?: string;
}

export interface RosterReport {
  rows: RosterRowResult[];
  created: number;
  updated: number;
  errors: number;
  /** Pupils of the file's classes that the file no longer lists (marked as left with `markLeft`). */
  missing: { studentId: string; studentName: string; className: string }[];
  markedLeft: number;
}

/** Validates a Vietnamese date "dd/mm/yyyy" (also d/m/yyyy) and returns it zero-padded. */
export function parseVietnameseDate(input: string): string | undefined {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(input.trim());
  if (!m) return undefined;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  if (y < 1990 || date.getTime() > Date.now()) return undefined;
  return `${String(d).padStart(2, "0")}/${String(mo).padStart(2, "0")}/${y}`;
}

/** The school code of a pupil the school gave none: stable for the same class, name and date of birth. */
export function naturalStudentCode(classGroupId: string, fullName: string, dateOfBirth: string): string {
  const key = [classGroupId, foldName(fullName), dateOfBirth].join("|");
  return `nk-${createHash("sha256").update(key).digest("hex").slice(0, 20)}`;
}

const foldName = (s: string) => foldText(s).replace(/\s+/g, " ").trim();
const nameKey = (className: string, fullName: string) => `${foldText(className)}|${foldName(fullName)}`;

/** A roster CSV as text → rows (the CLI's and the old callers' form). */
export function csvRecords(csv: string): string[][] {
  return parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
}

/** Thrown when the table has no recognisable header (not a roster); nothing was written. */
export class NotARosterError extends Error {
  override name = "NotARosterError";
}

interface Row {
  line: number;
  className: string;
  rawClass: string;
  fullName: string;
  dobRaw: string;
  studentCode: string;
  guardianName: string;
  phoneRaw: string;
}

function rowsOf(records: string[][]): Row[] {
  const header = findHeader(records);
  if (!header) throw new NotARosterError("Không tìm thấy dòng tiêu đề có cột Lớp và Họ tên học sinh: tệp này không phải danh sách học sinh.");
  const at = (record: string[], col: RosterColumn) => (header.columns[col] === undefined ? "" : (record[header.columns[col]!] ?? "").trim());
  return records.slice(header.dataStart).flatMap((record, i) => {
    if (record.every((c) => !c?.trim())) return [];
    const rawClass = at(record, "className");
    return [{
      line: header.dataStart + i + 1, rawClass, className: normalizeClassName(rawClass), fullName: at(record, "fullName").replace(/\s+/g, " "),
      dobRaw: at(record, "dateOfBirth"), studentCode: at(record, "studentCode"), guardianName: at(record, "guardianName"), phoneRaw: at(record, "guardianPhone"),
    }];
  });
}

/** Imports a roster into a school year. With `dryRun`, validates only. */
export async function importRoster(
  models: Models,
  input: { schoolId: string; yearId: string; records?: string[][]; csv?: string; dryRun: boolean; markLeft?: boolean },
): Promise<RosterReport> {
  const rows = rowsOf(input.records ?? csvRecords(input.csv ?? ""));
  const admin = createSchoolAdmin(models);
  const classes = new Map((await models.ClassGroup.find({ yearId: input.yearId }).lean()).map((c) => [foldText(c.name), c._id]));
  const classNames = new Map([...classes].map(([folded, id]) => [id, folded]));
  const current = await models.Student.find({ classGroupId: { $in: [...classes.values()] }, leftAt: null }).lean();
  const existing = new Map<string, { id: string; dob: string }[]>();
  for (const st of current) {
    const k = nameKey(classNames.get(st.classGroupId) ?? "", st.fullName);
    existing.set(k, [...(existing.get(k) ?? []), { id: st._id, dob: st.dateOfBirth ?? "" }]);
  }
  const inFile = new Map<string, { dob: string; code: string }[]>();
  for (const r of rows) {
    const k = nameKey(r.className, r.fullName);
    inFile.set(k, [...(inFile.get(k) ?? []), { dob: parseVietnameseDate(r.dobRaw) ?? r.dobRaw, code: r.studentCode }]);
  }

  const seenCodes = new Set<string>();
  const matched = new Set<string>();
  const results: RosterRowResult[] = [];
  for (const r of rows) {
    const result = (status: RosterRowStatus, error?: string) => results.push({ line: r.line, status, className: r.className || r.rawClass, studentName: r.fullName, ...(error ? { error } : {}) });
    if (!r.rawClass) { result("error", "missing class"); continue; }
    if (!r.className) { result("error", `"${r.rawClass}" is not a class name (e.g. 6A1, 6/1, 10A2)`); continue; }
    if (!r.fullName) { result("error", "missing student name"); continue; }
    if (r.fullName.length > 100) { result("error", "student name longer than 100 characters"); continue; }
    const dateOfBirth = r.dobRaw ? parseVietnameseDate(r.dobRaw) : "";
    if (dateOfBirth === undefined) { result("error", `date of birth "${r.dobRaw}" is not dd/mm/yyyy`); continue; }
    const phone = r.phoneRaw ? normalizeVietnamesePhone(r.phoneRaw) : "";
    if (phone === undefined) { result("error", `phone "${r.phoneRaw}" is not a Vietnamese number (0… or +84…)`); continue; }
    if (r.studentCode && seenCodes.has(r.studentCode)) { result("error", `student code ${r.studentCode} appears twice in the file`); continue; }
    if (r.studentCode) seenCodes.add(r.studentCode);

    let found: string | undefined;
    if (r.studentCode) found = (await models.Student.findOne({ schoolId: input.schoolId, studentCode: r.studentCode }).lean())?._id;
    else {
      const k = nameKey(r.className, r.fullName);
      const twins = (inFile.get(k) ?? []).filter((x) => !x.code);
      if (twins.filter((x) => x.dob === dateOfBirth).length > 1 || (twins.length > 1 && !dateOfBirth)) {
        result("ambiguous", "two pupils of this class with the same name and nothing to tell them apart: add the date of birth or the student code");
        continue;
      }
      const known = existing.get(k) ?? [];
      found = known.find((x) => x.dob === dateOfBirth)?.id;
      if (!found && known.length > 0 && (!dateOfBirth || known.some((x) => !x.dob))) {
        result("ambiguous", "a pupil of this class has this name already and the date of birth cannot tell them apart: add the date of birth or the student code");
        continue;
      }
    }
    if (found) {
      matched.add(found);
      const changed = await saveContact(models, input, found, r.guardianName, phone);
      result(changed ? "updated" : "exists");
      continue;
    }
    if (!input.dryRun) {
      let classId = classes.get(foldText(r.className));
      if (!classId) {
        classId = await createOrFindClass(models, admin, { schoolId: input.schoolId, yearId: input.yearId, name: r.className });
        classes.set(foldText(r.className), classId);
      }
      const studentCode = r.studentCode || naturalStudentCode(classId, r.fullName, dateOfBirth);
      try {
        const st = await admin.addStudent({ schoolId: input.schoolId, classGroupId: classId, fullName: r.fullName, dateOfBirth, studentCode });
        matched.add(st._id);
        await saveContact(models, input, st._id, r.guardianName, phone);
      } catch (err) {
        // Imported already (a re-run after a crash, or a concurrent import): the unique code says so.
        if (!isDuplicateKey(err)) throw err;
        const st = await models.Student.findOne({ schoolId: input.schoolId, studentCode }).lean();
        if (st) matched.add(st._id);
        result("exists");
        continue;
      }
    }
    result("ok");
  }

  const fileClasses = new Set(rows.map((r) => classes.get(foldText(r.className))).filter(Boolean));
  const missing = current
    .filter((s) => fileClasses.has(s.classGroupId) && !matched.has(s._id))
    .map((s) => ({ studentId: s._id, studentName: s.fullName, className: classNames.get(s.classGroupId)?.toUpperCase() ?? "" }));
  let markedLeft = 0;
  if (input.markLeft && !input.dryRun && missing.length > 0) {
    markedLeft = (await models.Student.updateMany({ _id: { $in: missing.map((m) => m.studentId) }, leftAt: null }, { $set: { leftAt: new Date() } })).modifiedCount;
  }
  const count = (...s: RosterRowStatus[]) => results.filter((r) => s.includes(r.status)).length;
  return { rows: results, created: count("ok"), updated: count("updated"), errors: count("error", "ambiguous"), missing, markedLeft };
}

/** Stores the guardian's contact from the roster; true when it changed. A dry run only compares. */
async function saveContact(models: Models, input: { schoolId: string; dryRun: boolean }, studentId: string, guardianName: string, phone: string): Promise<boolean> {
  if (!guardianName && !phone) return false;
  const before = await models.RosterContact.findById(studentId).lean();
  const phones = [...new Set([...(before?.phones ?? []), ...(phone ? [phone] : [])])];
  const name = guardianName || before?.guardianName || "";
  if (before && before.guardianName === name && before.phones.length === phones.length) return false;
  if (!input.dryRun) {
    await models.RosterContact.updateOne({ _id: studentId }, { $set: { schoolId: input.schoolId, guardianName: name, phones, updatedAt: new Date() } }, { upsert: true });
  }
  return true;
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
