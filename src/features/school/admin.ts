/**
 * What the admin CLI does to the school's records: schools, years, classes, staff, rosters,
 * invite codes, and the demo school (the year rollover is rollover.ts). Every function returns plain objects.
 */
import { randomUUID } from "node:crypto";
import type { InviteGrant, StaffRole, BoardPosition } from "../../domain/roles.js";
import { DEFAULT_GUARDIAN_SLOTS } from "../../domain/roles.js";
import { generateInviteCode } from "../../domain/invite-code.js";
import { compareVietnameseNames } from "../../domain/text.js";
import { isDuplicateKey, type Models } from "../../store/models.js";

const DAY_MS = 86_400_000;

/** A row of an invite-code export. */
export interface CodeRow {
  code: string;
  kind: InviteGrant["kind"];
  /** Student name for guardian codes, role for staff and board codes. */
  subject: string;
  className: string;
  expiresAt: Date;
}

/** Reads the grade from a class name: "6A1" → 6, "10a2" → 10, "3/2" → 3, "Lá 1" → 0 (preschool). */
export function gradeOfClassName(name: string): number {
  const m = /^\s*(?:lop\s*|lớp\s*)?(\d{1,2})/i.exec(name);
  return m ? Number(m[1]) : 0;
}

export class AdminError extends Error {
  override name = "AdminError";
}

/** Admin operations bound to a database. */
export function createSchoolAdmin(models: Models, now: () => Date = () => new Date()) {
  async function issueCode(schoolId: string, grant: InviteGrant, slots: number, ttlDays: number): Promise<string> {
    for (;;) {
      const code = generateInviteCode();
      try {
        await models.InviteCode.create({ _id: code, schoolId, grant, slots, expiresAt: new Date(now().getTime() + ttlDays * DAY_MS) });
        return code;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // 65 random bits: a collision is astronomically rare
      }
    }
  }

  /** One new guardian code per student, inserted in bulk; a (rare) colliding code is drawn again. */
  async function issueCodes(schoolId: string, studentIds: string[], slots: number, ttlDays: number): Promise<Map<string, { _id: string; expiresAt: Date }>> {
    const issued = new Map<string, { _id: string; expiresAt: Date }>();
    let pending = studentIds;
    while (pending.length) {
      const expiresAt = new Date(now().getTime() + ttlDays * DAY_MS);
      const docs = pending.map((studentId) => ({ _id: generateInviteCode(), schoolId, grant: { kind: "guardian" as const, studentId }, slots, expiresAt }));
      let failed = new Set<string>();
      try {
        await models.InviteCode.insertMany(docs, { ordered: false });
      } catch (err) {
        const writeErrors = (err as { writeErrors?: { index?: number; err?: { index?: number } }[] }).writeErrors;
        if (!writeErrors || !writeErrors.every((e) => isDuplicateKey(e))) throw err;
        failed = new Set(writeErrors.map((e) => docs[e.index ?? e.err?.index ?? -1]?.grant.studentId).filter((id): id is string => !!id));
      }
      for (const d of docs) if (!failed.has(d.grant.studentId)) issued.set(d.grant.studentId, { _id: d._id, expiresAt });
      pending = pending.filter((id) => failed.has(id));
    }
    return issued;
  }

  async function className(classGroupId: string): Promise<string> {
    return (await models.ClassGroup.findById(classGroupId).lean())?.name ?? "";
  }

  const admin = {
    async createSchool(input: { name: string; slug: string; authorityContact?: string }) {
      return (await models.School.create(input)).toObject();
    },
    async createYear(input: { schoolId: string; name: string; startsOn?: Date; endsOn?: Date }) {
      if (!(await models.School.findById(input.schoolId))) throw new AdminError(`no school ${input.schoolId}`);
      return (await models.SchoolYear.create(input)).toObject();
    },
    async createClass(input: { schoolId: string; yearId: string; name: string; grade?: number }) {
      const year = await models.SchoolYear.findById(input.yearId).lean();
      if (!year || year.schoolId !== input.schoolId) throw new AdminError(`no year ${input.yearId} in school ${input.schoolId}`);
      return (await models.ClassGroup.create({ ...input, name: input.name.trim(), grade: input.grade ?? gradeOfClassName(input.name) })).toObject();
    },
    async addStaff(input: { schoolId: string; fullName: string; title?: string }) {
      return (await models.Staff.create(input)).toObject();
    },
    async addStudent(input: { schoolId: string; classGroupId: string; fullName: string; dateOfBirth?: string; studentCode?: string }) {
      return (await models.Student.create({ ...input, studentCode: input.studentCode || `auto-${randomUUID()}` })).toObject();
    },

    /** Issues a code for a staff role (homeroom teacher of a class, principal, …). */
    async issueStaffCode(input: { schoolId: string; staffId: string; role: StaffRole; classGroupId?: string; ttlDays: number }): Promise<CodeRow> {
      const staff = await models.Staff.findById(input.staffId).lean();
      if (!staff || staff.schoolId !== input.schoolId) throw new AdminError(`no staff ${input.staffId} in school ${input.schoolId}`);
      if (input.role === "homeroom-teacher" && !input.classGroupId) throw new AdminError("a homeroom teacher code needs --class");
      const grant: InviteGrant = { kind: "staff", role: input.role, staffId: input.staffId, classGroupId: input.classGroupId ?? "" };
      const code = await issueCode(input.schoolId, grant, 1, input.ttlDays);
      return { code, kind: "staff", subject: `${input.role}: ${staff.fullName}`, className: await className(input.classGroupId ?? ""), expiresAt: new Date(now().getTime() + input.ttlDays * DAY_MS) };
    },

    /** Issues a code that makes a guardian of `studentId` a member of the class or school board. */
    async issueBoardCode(input: { schoolId: string; studentId: string; scope: "class" | "school"; position: BoardPosition; ttlDays: number }): Promise<CodeRow> {
      const student = await models.Student.findById(input.studentId).lean();
      if (!student || student.schoolId !== input.schoolId) throw new AdminError(`no student ${input.studentId} in school ${input.schoolId}`);
      const classGroupId = input.scope === "class" ? student.classGroupId : "";
      const grant: InviteGrant = { kind: "board", scope: input.scope, position: input.position, classGroupId, studentId: student._id };
      const code = await issueCode(input.schoolId, grant, 1, input.ttlDays);
      return { code, kind: "board", subject: `board-${input.position} (${input.scope})`, className: await className(classGroupId), expiresAt: new Date(now().getTime() + input.ttlDays * DAY_MS) };
    },

    /**
     * One guardian code per student of a class (or the whole school) that has no usable code
     * yet; existing usable codes are listed again rather than replaced.
     */
    async guardianCodes(input: { schoolId: string; classGroupId?: string; ttlDays: number; slots?: number }): Promise<CodeRow[]> {
      // Set-based: three reads and one bulk insert whatever the school's size (no query per student).
      const filter = input.classGroupId ? { schoolId: input.schoolId, classGroupId: input.classGroupId } : { schoolId: input.schoolId };
      const students = (await models.Student.find(filter).lean()).sort((a, b) => compareVietnameseNames(a.fullName, b.fullName));
      const classes = new Map((await models.ClassGroup.find({ schoolId: input.schoolId }).lean()).map((c) => [c._id, c.name]));
      const wanted = new Set(students.map((s) => s._id));
      const live = (await models.InviteCode.find({ schoolId: input.schoolId, revoked: false, expiresAt: { $gt: now() } }).lean())
        .filter((c) => c.grant.kind === "guardian" && wanted.has(c.grant.studentId));
      const used = new Map<string, number>();
      for (const r of await models.InviteRedemption.find({ code: { $in: live.map((c) => c._id) } }, { code: 1 }).lean()) used.set(r.code, (used.get(r.code) ?? 0) + 1);
      const usable = new Map<string, { _id: string; expiresAt: Date }>();
      for (const c of live) if ((used.get(c._id) ?? 0) < c.slots && c.grant.kind === "guardian") usable.set(c.grant.studentId, c);
      const missing = students.filter((s) => !usable.has(s._id));
      for (const [studentId, code] of await issueCodes(input.schoolId, missing.map((s) => s._id), input.slots ?? DEFAULT_GUARDIAN_SLOTS, input.ttlDays)) usable.set(studentId, code);
      return students.map((s) => {
        const chosen = usable.get(s._id)!;
        return { code: chosen._id, kind: "guardian" as const, subject: s.fullName, className: classes.get(s.classGroupId) ?? "", expiresAt: chosen.expiresAt };
      });
    },

    /** Revokes a code (lost sheet, wrong student). */
    async revokeCode(code: string): Promise<boolean> {
      return (await models.InviteCode.updateOne({ _id: code }, { $set: { revoked: true } })).modifiedCount > 0;
    },
  };
  return admin;
}

export type SchoolAdmin = ReturnType<typeof createSchoolAdmin>;
