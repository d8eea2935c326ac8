/** Writes a small school straight into the models: class 6A1 with students, guardians, a board member. */
import type { Models } from "../../src/store/models.js";
import { rolesOf } from "../../src/store/directory.js";

export interface SeededSchool {
  schoolId: string;
  classId: string;
  students: { id: string; name: string }[];
  /** Identity id per external user id. */
  identities: Record<string, string>;
}

/**
 * `guardians`: external user id → indexes of their children in `studentNames`.
 * `boardUser` becomes class-board head of 6A1 (and guardian of student 0 when listed in guardians).
 */
export async function seedSchool(models: Models, o: { channel?: "telegram" | "web"; account: string; studentNames: string[]; guardians: Record<string, number[]>; boardUser?: string; teacherUser?: string }): Promise<SeededSchool> {
  const channel = o.channel ?? "telegram";
  const school = await models.School.create({ name: "Trường THCS Thử", slug: `thu-${Math.random().toString(36).slice(2, 8)}` });
  const year = await models.SchoolYear.create({ schoolId: school._id, name: "2026-2027" });
  const cls = await models.ClassGroup.create({ schoolId: school._id, yearId: year._id, name: "6A1", grade: 6 });
  const students = [];
  for (const [i, name] of o.studentNames.entries()) {
    const s = await models.Student.create({ schoolId: school._id, classGroupId: cls._id, fullName: name, studentCode: `HS${i}` });
    students.push({ id: s._id, name });
  }
  const identities: Record<string, string> = {};
  const identity = async (userId: string) => {
    if (identities[userId]) return identities[userId]!;
    const doc = await models.ChannelIdentity.create({ channel, account: o.account, externalUserId: userId, chatId: userId, locale: "vi" });
    identities[userId] = doc._id;
    return doc._id;
  };
  for (const [userId, idxs] of Object.entries(o.guardians)) {
    const id = await identity(userId);
    for (const i of idxs) await models.GuardianLink.create({ identityId: id, studentId: students[i]!.id, schoolId: school._id });
  }
  if (o.boardUser) {
    const id = await identity(o.boardUser);
    await models.BoardMembership.create({ identityId: id, schoolId: school._id, scope: "class", classGroupId: cls._id, position: "head", studentId: students[0]!.id });
  }
  if (o.teacherUser) {
    const id = await identity(o.teacherUser);
    const staff = await models.Staff.create({ schoolId: school._id, fullName: "Nguyễn Thị Lan", title: "Cô" });
    await models.StaffRole.create({ identityId: id, staffId: staff._id, schoolId: school._id, role: "homeroom-teacher", classGroupId: cls._id });
  }
  return { schoolId: school._id, classId: cls._id, students, identities };
}

/** The actor (identity and roles) of a seeded user. */
export async function actorFor(models: Models, seeded: SeededSchool, userId: string) {
  const identityId = seeded.identities[userId]!;
  return { identityId, roles: await rolesOf(models, identityId) };
}
