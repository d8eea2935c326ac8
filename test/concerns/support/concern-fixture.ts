/**
 * A real-database fixture for concern tests: a school (with a managing-authority contact),
 * classes 6A1 and 6A2, pupils An and Bình in 6A1 and Khoa in 6A2, their guardians as Telegram
 * identities (An's mother is also Khoa's), the 6A1 and 6A2 homeroom teachers and a principal.
 */
import type { Models } from "../../../src/store/models.js";
import type { ConcernActor } from "../../../src/features/concerns/port.js";
import { rolesOf } from "../../../src/store/directory.js";

export type Who = "teacher" | "otherTeacher" | "principal" | "anMom" | "binhMom";

export interface ConcernWorld {
  schoolId: string;
  classId: string;
  otherClassId: string;
  students: { an: string; binh: string; khoa: string };
  identities: Record<Who, string>;
  actor(who: Who): Promise<ConcernActor>;
}

export async function seedConcernWorld(models: Models, opts: { account: string; userIds?: Partial<Record<Who, string>>; authorityContact?: string }): Promise<ConcernWorld> {
  const school = await models.School.create({ name: "THCS Nguyễn Du", slug: `nd-${Math.random().toString(36).slice(2, 8)}`,
    authorityContact: opts.authorityContact ?? "Phòng GD&ĐT quận 1 — vp@pgd.example" });
  const year = await models.SchoolYear.create({ schoolId: school._id, name: "2026-2027" });
  const cls = await models.ClassGroup.create({ schoolId: school._id, yearId: year._id, name: "6A1", grade: 6 });
  const other = await models.ClassGroup.create({ schoolId: school._id, yearId: year._id, name: "6A2", grade: 6 });
  const student = (fullName: string, n: number, classGroupId: string) => models.Student.create({ schoolId: school._id, classGroupId, fullName, studentCode: `S${n}` });
  const an = await student("Nguyễn Văn An", 1, cls._id), binh = await student("Trần Thị Bình", 2, cls._id), khoa = await student("Hoàng Anh Khoa", 3, other._id);
  const ids: Record<Who, string> = { teacher: "9001", otherTeacher: "9002", principal: "9003", anMom: "9101", binhMom: "9201", ...opts.userIds };
  const identity = async (who: Who, displayName: string) =>
    (await models.ChannelIdentity.create({ channel: "telegram", account: opts.account, externalUserId: ids[who], chatId: ids[who], locale: "vi", displayName }))._id;
  const staffRole = async (identityId: string, fullName: string, role: string, classGroupId = "", title = "Cô") => {
    const staff = await models.Staff.create({ schoolId: school._id, fullName, title });
    await models.StaffRole.create({ identityId, staffId: staff._id, schoolId: school._id, role, classGroupId });
  };
  const identities: Record<Who, string> = {
    teacher: await identity("teacher", "Cô Lan"), otherTeacher: await identity("otherTeacher", "Cô Hà"), principal: await identity("principal", "Thầy Minh"),
    anMom: await identity("anMom", "Hoa Nguyen 0912345678"), binhMom: await identity("binhMom", "Thu Tran"),
  };
  await staffRole(identities.teacher, "Nguyễn Thị Lan", "homeroom-teacher", cls._id);
  await staffRole(identities.otherTeacher, "Bùi Thu Hà", "homeroom-teacher", other._id);
  await staffRole(identities.principal, "Trần Văn Minh", "principal", "", "Thầy");
  for (const [identityId, studentId] of [[identities.anMom, an._id], [identities.anMom, khoa._id], [identities.binhMom, binh._id]] as const)
    await models.GuardianLink.create({ identityId, studentId, schoolId: school._id });
  return {
    schoolId: school._id, classId: cls._id, otherClassId: other._id,
    students: { an: an._id, binh: binh._id, khoa: khoa._id }, identities,
    actor: async (who) => ({ identityId: identities[who], roles: await rolesOf(models, identities[who]) }),
  };
}
