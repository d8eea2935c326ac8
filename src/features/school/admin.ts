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
      const filter = input.classGroupId ? { schoolId: input.schoolId, classGroupId: input.classGroupId } : { schoolId: input.schoolId };
      const students = (await models.Student.find(filter).lean()).sort((a, b) => compareVietnameseNames(a.fullName, b.fullName));
      const classes = new Map((await models.ClassGroup.find({ schoolId: input.schoolId }).lean()).map((c) => [c._id, c.name]));
      const rows: CodeRow[] = [];
      for (const s of students) {
        const existing = await models.InviteCode.find({ schoolId: input.schoolId, "grant.kind": "guardian", "grant.studentId": s._id, revoked: false, expiresAt: { $gt: now() } }).lean();
        let chosen: { _id: string; expiresAt: Date } | undefined;
        for (const c of existing) if ((await models.InviteRedemption.countDocuments({ code: c._id })) < c.slots) chosen = c;
        if (!chosen) {
          const code = await issueCode(input.schoolId, { kind: "guardian", studentId: s._id }, input.slots ?? DEFAULT_GUARDIAN_SLOTS, input.ttlDays);
          chosen = { _id: code, expiresAt: new Date(now().getTime() + input.ttlDays * DAY_MS) };
        }
        rows.push({ code: chosen._id, kind: "guardian", subject: s.fullName, className: classes.get(s.classGroupId) ?? "", expiresAt: chosen.expiresAt });
      }
      return rows;
    },

    /** Revokes a code (lost sheet, wrong student). */
    async revokeCode(code: string): Promise<boolean> {
      return (await models.InviteCode.updateOne({ _id: code }, { $set: { revoked: true } })).modifiedCount > 0;
    },
  };
  return admin;
}

export type SchoolAdmin = ReturnType<typeof createSchoolAdmin>;
