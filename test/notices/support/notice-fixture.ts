/**
 * A real-database fixture for notice tests: a school with class 6A1 (N pupils, each with one
 * Telegram guardian whose user id is `guardianBase + i`; pupil 0 has a second guardian), an
 * empty class 6A2, a homeroom teacher of 6A1 ("cô Nguyễn Thị Lan") and a principal
 * ("thầy Trần Văn Minh"). `withoutGuardian` pupils (the last ones) have nobody linked.
 */
import type { Models } from "../../../src/store/models.js";
import type { NoticeActor } from "../../../src/features/notices/port.js";
import { rolesOf } from "../../../src/store/directory.js";

export interface NoticeWorld {
  schoolId: string;
  classId: string;
  otherClassId: string;
  students: { id: string; name: string }[];
  /** Telegram user id of pupil i's guardian ("" when none). */
  guardianUserIds: string[];
  secondGuardianUserId: string;
  identities: { teacher: string; principal: string; guardians: string[]; secondGuardian: string };
  actor(identityId: string): Promise<NoticeActor>;
}

const GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hiếu", "Hoa", "Huy", "Khoa", "Lan", "Linh", "Long", "Mai", "Minh", "My", "Nam", "Ngọc", "Nhi"];
const FAMILY = ["Nguyễn Văn", "Trần Thị", "Lê Minh", "Phạm Gia", "Võ Ngọc", "Đặng Quốc", "Bùi Thu", "Hoàng Anh"];

export function studentName(i: number): string {
  return `${FAMILY[i % FAMILY.length]} ${GIVEN[i % GIVEN.length]}${i >= GIVEN.length ? ` ${Math.floor(i / GIVEN.length) + 1}` : ""}`;
}

export async function seedNoticeWorld(models: Models, opts: {
  account: string; students: number; guardianBase: number; teacherUserId: string; principalUserId: string; withoutGuardian?: number;
}): Promise<NoticeWorld> {
  const school = await models.School.create({ name: "Trường THCS Nguyễn Du", slug: `nd-${Math.random().toString(36).slice(2, 8)}` });
  const year = await models.SchoolYear.create({ schoolId: school._id, name: "2026-2027" });
  const cls = await models.ClassGroup.create({ schoolId: school._id, yearId: year._id, name: "6A1", grade: 6 });
  const other = await models.ClassGroup.create({ schoolId: school._id, yearId: year._id, name: "6A2", grade: 6 });
  const students = await models.Student.insertMany(Array.from({ length: opts.students }, (_, i) => ({
    schoolId: school._id, classGroupId: cls._id, fullName: studentName(i), studentCode: `S${i + 1}`,
  })));
  const identity = async (userId: string) =>
    (await models.ChannelIdentity.create({ channel: "telegram", account: opts.account, externalUserId: userId, chatId: userId, locale: "vi" }))._id;
  const teacher = await identity(opts.teacherUserId);
  const lan = await models.Staff.create({ schoolId: school._id, fullName: "Nguyễn Thị Lan", title: "Cô" });
  await models.StaffRole.create({ identityId: teacher, staffId: lan._id, schoolId: school._id, role: "homeroom-teacher", classGroupId: cls._id });
  const principal = await identity(opts.principalUserId);
  const minh = await models.Staff.create({ schoolId: school._id, fullName: "Trần Văn Minh", title: "Thầy" });
  await models.StaffRole.create({ identityId: principal, staffId: minh._id, schoolId: school._id, role: "principal", classGroupId: "" });
  const linked = opts.students - (opts.withoutGuardian ?? 0);
  const guardianUserIds = students.map((_, i) => (i < linked ? String(opts.guardianBase + i) : ""));
  const guardians: string[] = [];
  for (let i = 0; i < linked; i++) {
    const id = await identity(guardianUserIds[i]!);
    guardians.push(id);
    await models.GuardianLink.create({ identityId: id, studentId: students[i]!._id, schoolId: school._id });
  }
  const secondGuardianUserId = String(opts.guardianBase + 9_000);
  const secondGuardian = await identity(secondGuardianUserId);
  await models.GuardianLink.create({ identityId: secondGuardian, studentId: students[0]!._id, schoolId: school._id });
  return {
    schoolId: school._id, classId: cls._id, otherClassId: other._id,
    students: students.map((s) => ({ id: s._id, name: s.fullName })),
    guardianUserIds, secondGuardianUserId,
    identities: { teacher, principal, guardians, secondGuardian },
    actor: async (identityId) => ({ identityId, roles: await rolesOf(models, identityId) }),
  };
}
