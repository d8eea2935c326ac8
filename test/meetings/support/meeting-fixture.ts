/**
 * A real-database fixture for meeting tests: a school with class 6A1 (three pupils), their
 * guardians as Telegram identities (An has two guardians, Châu none), a homeroom teacher,
 * and optionally a class board head.
 */
import type { Models } from "../../../src/store/models.js";
import type { MeetingActor, MeetingDraft } from "../../../src/features/meetings/port.js";
import { rolesOf } from "../../../src/store/directory.js";

export interface MeetingWorld {
  schoolId: string;
  classId: string;
  students: { an: string; binh: string; chau: string };
  identities: { teacher: string; anMom: string; anDad: string; binhMom: string; boardHead?: string };
  actor(identityId: string): Promise<MeetingActor>;
  /** A 6A1 meeting: by default the start-of-year one, 19/09/2026 19:30 in Hà Nội, in Phòng 6A1, electing the class board. */
  classMeeting(over?: Partial<Omit<MeetingDraft, "schoolId" | "scope">>): MeetingDraft;
}

export interface MeetingWorldOptions {
  account: string;
  withBoardHead?: boolean;
  userIds?: Partial<Record<"teacher" | "anMom" | "anDad" | "binhMom", string>>;
}

export async function seedMeetingWorld(models: Models, opts: MeetingWorldOptions): Promise<MeetingWorld> {
  const school = await models.School.create({ name: "THCS Nguyễn Du", slug: `nd-${Math.random().toString(36).slice(2, 8)}` });
  const year = await models.SchoolYear.create({ schoolId: school._id, name: "2026-2027" });
  const cls = await models.ClassGroup.create({ schoolId: school._id, yearId: year._id, name: "6A1", grade: 6 });
  const student = (fullName: string, n: number) => models.Student.create({ schoolId: school._id, classGroupId: cls._id, fullName, studentCode: `S${n}` });
  const [an, binh, chau] = [await student("Nguyễn Văn An", 1), await student("Trần Thị Bình", 2), await student("Lê Minh Châu", 3)];
  const identity = async (userId: string) =>
    (await models.ChannelIdentity.create({ channel: "telegram", account: opts.account, externalUserId: userId, chatId: userId, locale: "vi" }))._id;
  const ids = { teacher: "9001", anMom: "9101", anDad: "9102", binhMom: "9201", ...opts.userIds };
  const teacher = await identity(ids.teacher);
  const staff = await models.Staff.create({ schoolId: school._id, fullName: "Nguyễn Thị Lan", title: "Cô" });
  await models.StaffRole.create({ identityId: teacher, staffId: staff._id, schoolId: school._id, role: "homeroom-teacher", classGroupId: cls._id });
  const anMom = await identity(ids.anMom), anDad = await identity(ids.anDad), binhMom = await identity(ids.binhMom);
  for (const [identityId, studentId] of [[anMom, an._id], [anDad, an._id], [binhMom, binh._id]] as const)
    await models.GuardianLink.create({ identityId, studentId, schoolId: school._id });
  let boardHead: string | undefined;
  if (opts.withBoardHead) {
    boardHead = binhMom;
    await models.BoardMembership.create({ identityId: binhMom, schoolId: school._id, scope: "class", classGroupId: cls._id, position: "head", studentId: binh._id });
  }
  return {
    schoolId: school._id, classId: cls._id,
    students: { an: an._id, binh: binh._id, chau: chau._id },
    identities: { teacher, anMom, anDad, binhMom, ...(boardHead ? { boardHead } : {}) },
    actor: async (identityId) => ({ identityId, roles: await rolesOf(models, identityId) }),
    classMeeting: (over = {}) => ({
      schoolId: school._id, scope: { kind: "class", classGroupId: cls._id },
      kind: "start-year", startsAt: new Date("2026-09-19T12:30:00Z"), place: "Phòng 6A1", agenda: "Bầu Ban đại diện", ...over,
    }),
  };
}
