/**
 * What the office console shows and does with a school's records, for a signed-in session:
 * the classes with how many families linked, a class's pupils, the invite slips of the families
 * not linked yet, and roster uploads kept for review between the dry run and "apply". A
 * homeroom teacher's session reaches their own class only; nothing here reads concern contents.
 */
import { randomBytes } from "node:crypto";
import { compareVietnameseNames } from "../../domain/text.js";
import type { Models } from "../../store/models.js";
import { decideTransition } from "../../store/facts.js";
import { personIdsOf } from "../../store/people.js";
import { createSchoolAdmin } from "../school/admin.js";
import { importRoster, type RosterReport } from "../roster/import-roster.js";
import type { ConsoleSession } from "./sign-in.js";
import type { Slip } from "./slips.js";

/** Principals and school admins manage the school's records; a homeroom teacher sees their class. */
export const canManageSchool = (s: ConsoleSession) => s.role === "principal" || s.role === "admin";
export const mayOpenClass = (s: ConsoleSession, classGroupId: string) => canManageSchool(s) || s.classGroupId === classGroupId;

const UPLOAD_TTL_MS = 3_600_000;

export async function schoolNameOf(models: Models, schoolId: string): Promise<string> {
  return (await models.School.findById(schoolId).lean())?.name ?? "";
}

/** The session's classes (the current years' classes for the school; a teacher's own), with counts. */
export async function classOverview(models: Models, s: ConsoleSession) {
  const years = await models.SchoolYear.find({ schoolId: s.schoolId, archived: { $ne: true } }).lean();
  const classes = await models.ClassGroup.find({ schoolId: s.schoolId, yearId: { $in: years.map((y) => y._id) }, ...(canManageSchool(s) ? {} : { _id: s.classGroupId }) }).lean();
  const ids = classes.map((c) => c._id);
  const pupils = await models.Student.find({ classGroupId: { $in: ids }, leftAt: null }).lean();
  const linked = new Set((await models.GuardianLink.find({ studentId: { $in: pupils.map((p) => p._id) } }).lean()).map((l) => l.studentId));
  const teachers = await teacherNames(models, ids);
  return classes
    .sort((a, b) => a.grade - b.grade || a.name.localeCompare(b.name, "vi"))
    .map((c) => {
      const mine = pupils.filter((p) => p.classGroupId === c._id);
      return { id: c._id, name: c.name, pupils: mine.length, linked: mine.filter((p) => linked.has(p._id)).length, teacher: teachers.get(c._id) ?? "" };
    });
}

async function teacherNames(models: Models, classIds: string[]): Promise<Map<string, string>> {
  const roles = await models.StaffRole.find({ role: "homeroom-teacher", classGroupId: { $in: classIds } }).lean();
  const staff = new Map((await models.Staff.find({ _id: { $in: roles.map((r) => r.staffId) } }).lean()).map((s) => [s._id, s]));
  return new Map(roles.map((r) => [r.classGroupId, staff.get(r.staffId) ? `${staff.get(r.staffId)!.title} ${staff.get(r.staffId)!.fullName}` : ""]));
}

/** A class's pupils and how many guardians each has linked; undefined when the session may not open it. */
export async function classRoster(models: Models, s: ConsoleSession, classGroupId: string) {
  const c = await models.ClassGroup.findById(classGroupId).lean();
  if (!c || c.schoolId !== s.schoolId || !mayOpenClass(s, classGroupId)) return undefined;
  const pupils = (await models.Student.find({ classGroupId }).lean()).sort((a, b) => compareVietnameseNames(a.fullName, b.fullName));
  const links = await models.GuardianLink.find({ studentId: { $in: pupils.map((p) => p._id) } }).lean();
  const personOf = await personIdsOf(models, links.map((l) => l.identityId));
  return {
    id: c._id, name: c.name, teacher: (await teacherNames(models, [c._id])).get(c._id) ?? "",
    // People, not messenger accounts: a guardian paired on two messengers (/kenh) counts once.
    pupils: pupils.map((p) => ({ id: p._id, name: p.fullName, linked: new Set(links.filter((l) => l.studentId === p._id).map((l) => personOf.get(l.identityId))).size, left: Boolean(p.leftAt) })),
  };
}

/** Slips for the class's families with nobody linked yet (codes reused while still usable). */
export async function slipsForUnlinked(models: Models, s: ConsoleSession, classGroupId: string, o: { ttlDays: number; link: (code: string) => string }): Promise<Slip[] | undefined> {
  const roster = await classRoster(models, s, classGroupId);
  if (!roster) return undefined;
  const unlinked = new Set(roster.pupils.filter((p) => p.linked === 0 && !p.left).map((p) => p.name));
  const rows = await createSchoolAdmin(models).guardianCodes({ schoolId: s.schoolId, classGroupId, ttlDays: o.ttlDays });
  return rows.filter((r) => unlinked.has(r.subject)).map((r) => ({ studentName: r.subject, className: r.className, code: r.code, link: o.link(r.code), expiresAt: r.expiresAt }));
}

/** The school's years for the roster form, newest first. */
export async function yearsOf(models: Models, s: ConsoleSession) {
  return (await models.SchoolYear.find({ schoolId: s.schoolId, archived: { $ne: true } }).lean()).sort((a, b) => b.name.localeCompare(a.name)).map((y) => ({ id: y._id, name: y.name }));
}

/** Dry-runs an uploaded roster and keeps its rows for "apply"; the report says what would happen. */
export async function previewRoster(models: Models, s: ConsoleSession, input: { yearId: string; fileName: string; records: string[][] }, now: Date): Promise<{ uploadId: string; report: RosterReport } | undefined> {
  const year = await models.SchoolYear.findById(input.yearId).lean();
  if (!canManageSchool(s) || !year || year.schoolId !== s.schoolId) return undefined;
  const report = await importRoster(models, { schoolId: s.schoolId, yearId: input.yearId, records: input.records, dryRun: true });
  const uploadId = randomBytes(12).toString("hex");
  await models.ConsoleUpload.create({ _id: uploadId, sessionId: s.id, schoolId: s.schoolId, yearId: input.yearId, fileName: input.fileName, records: JSON.stringify(input.records), createdAt: now });
  await models.ConsoleUpload.deleteMany({ createdAt: { $lt: new Date(now.getTime() - UPLOAD_TTL_MS) } });
  return { uploadId, report };
}

/** Applies a reviewed upload (once: the upload is consumed); undefined when it is not this session's or too old. */
export async function applyRoster(models: Models, s: ConsoleSession, uploadId: string, markLeft: boolean, now: Date): Promise<{ fileName: string; report: RosterReport } | undefined> {
  const up = await models.ConsoleUpload.findById(uploadId).lean();
  if (!up || up.sessionId !== s.id || !canManageSchool(s) || now.getTime() - up.createdAt.getTime() > UPLOAD_TTL_MS) return undefined;
  // One "apply" per upload, decided by a unique fact (a double click applies once).
  if (!(await decideTransition(models, { entity: `upload:${uploadId}`, slot: "applied", kind: "applied", at: now })).won) return undefined;
  await models.ConsoleUpload.deleteOne({ _id: uploadId });
  const report = await importRoster(models, { schoolId: s.schoolId, yearId: up.yearId, records: JSON.parse(up.records) as string[][], dryRun: false, markLeft });
  return { fileName: up.fileName, report };
}
