/**
 * The demo school: a THCS with two classes, a homeroom teacher, a principal and a class-board
 * head, plus the playground's demo people already linked (consent recorded as "demo-seed").
 * Idempotent: a second run returns the same school and its still-usable codes.
 */
import type { Models } from "../../store/models.js";
import { createSchoolAdmin, type CodeRow } from "./admin.js";

export const DEMO_SLUG = "demo-thcs-nguyen-du";

/** The playground's demo people: web user `<people>-<role>` (see `seedDemo`). */
export const DEMO_ROLES = ["guardian", "teacher", "board", "principal"] as const;
export type DemoRole = (typeof DEMO_ROLES)[number];

const ROSTER: [string, string[]][] = [
  ["6A1", ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Gia Huy", "Võ Ngọc Lan"]],
  ["6A2", ["Đặng Quốc Bảo", "Bùi Thu Hà", "Hoàng Anh Khoa"]],
];

export interface DemoSeed {
  schoolId: string;
  schoolName: string;
  yearId: string;
  classes: { id: string; name: string }[];
  codes: { guardians: CodeRow[]; homeroomTeacher: CodeRow; principal: CodeRow; boardHead: CodeRow };
}

/**
 * Creates (or finds) the demo school and returns its codes. With `account`, the playground's
 * demo people are linked too, as web users `<people>-guardian`, `<people>-teacher`, … (`people`
 * defaults to "demo"); a playground session passes its own `slug` and `people`, so each browser
 * has a school and people of its own.
 */
export async function seedDemo(models: Models, opts: { ttlDays: number; account?: string; slug?: string; people?: string }): Promise<DemoSeed> {
  const admin = createSchoolAdmin(models);
  const slug = opts.slug ?? DEMO_SLUG;
  const school = (await models.School.findOne({ slug }).lean()) ?? (await admin.createSchool({ name: "Trường THCS Nguyễn Du (demo)", slug, authorityContact: "UBND phường Bến Nghé — Phòng Văn hóa – Xã hội" }));
  const schoolId = school._id;
  const year = (await models.SchoolYear.findOne({ schoolId, name: "2026-2027" }).lean())
    ?? (await admin.createYear({ schoolId, name: "2026-2027", startsOn: new Date("2026-09-05"), endsOn: new Date("2027-05-31") }));
  const classes: { id: string; name: string }[] = [];
  for (const [name, students] of ROSTER) {
    const c = (await models.ClassGroup.findOne({ yearId: year._id, name }).lean()) ?? (await admin.createClass({ schoolId, yearId: year._id, name }));
    classes.push({ id: c._id, name });
    for (const [i, fullName] of students.entries()) {
      const studentCode = `DEMO-${name}-${i + 1}`;
      if (!(await models.Student.findOne({ schoolId, studentCode }).lean())) await admin.addStudent({ schoolId, classGroupId: c._id, fullName, studentCode });
    }
  }
  const a1 = classes[0]!.id;
  const teacher = (await models.Staff.findOne({ schoolId, fullName: "Nguyễn Thị Lan" }).lean()) ?? (await admin.addStaff({ schoolId, fullName: "Nguyễn Thị Lan", title: "Cô" }));
  const principal = (await models.Staff.findOne({ schoolId, fullName: "Trần Văn Minh" }).lean()) ?? (await admin.addStaff({ schoolId, fullName: "Trần Văn Minh", title: "Thầy" }));
  const firstStudent = (await models.Student.findOne({ schoolId, studentCode: "DEMO-6A1-1" }).lean())!;
  const usableCode = async (filter: Record<string, unknown>, issue: () => Promise<CodeRow>): Promise<CodeRow> => {
    const existing = await models.InviteCode.findOne({ schoolId, revoked: false, expiresAt: { $gt: new Date() }, ...filter }).lean();
    if (existing && (await models.InviteRedemption.countDocuments({ code: existing._id })) < existing.slots) {
      return { code: existing._id, kind: existing.grant.kind, subject: String(filter["grant.role"] ?? filter["grant.position"] ?? ""), className: "6A1", expiresAt: existing.expiresAt };
    }
    return issue();
  };
  const codes = {
    guardians: await admin.guardianCodes({ schoolId, ttlDays: opts.ttlDays }),
    homeroomTeacher: await usableCode({ "grant.kind": "staff", "grant.role": "homeroom-teacher" },
      () => admin.issueStaffCode({ schoolId, staffId: teacher._id, role: "homeroom-teacher", classGroupId: a1, ttlDays: opts.ttlDays })),
    principal: await usableCode({ "grant.kind": "staff", "grant.role": "principal" },
      () => admin.issueStaffCode({ schoolId, staffId: principal._id, role: "principal", ttlDays: opts.ttlDays })),
    boardHead: await usableCode({ "grant.kind": "board", "grant.position": "head" },
      () => admin.issueBoardCode({ schoolId, studentId: firstStudent._id, scope: "class", position: "head", ttlDays: opts.ttlDays })),
  };
  if (opts.account) await linkDemoPeople(models, { schoolId, account: opts.account, people: opts.people ?? "demo", classId: a1, teacherId: teacher._id, principalId: principal._id });
  return { schoolId, schoolName: school.name, yearId: year._id, classes, codes };
}

/** Links the playground's demo people directly (they are fictional; consent is "demo-seed"). */
async function linkDemoPeople(models: Models, o: { schoolId: string; account: string; people: string; classId: string; teacherId: string; principalId: string }) {
  const students = await models.Student.find({ schoolId: o.schoolId, classGroupId: o.classId }).lean();
  const byCode = new Map(students.map((s) => [s.studentCode, s._id]));
  const identity = async (userId: string, displayName: string) => {
    const filter = { channel: "web", account: o.account, externalUserId: userId };
    await models.ChannelIdentity.updateOne(filter, { $setOnInsert: { ...filter, chatId: userId, displayName, locale: "vi", reachable: true } }, { upsert: true });
    const doc = (await models.ChannelIdentity.findOne(filter).lean())!;
    if (!(await models.ConsentRecord.findOne({ identityId: doc._id }).lean())) await models.ConsentRecord.create({ identityId: doc._id, version: "demo-seed" });
    return doc._id;
  };
  const upsert = (model: typeof models.GuardianLink | typeof models.StaffRole | typeof models.BoardMembership, doc: Record<string, unknown>) =>
    (model as typeof models.GuardianLink).updateOne(doc, { $setOnInsert: doc }, { upsert: true });
  const guardian = await identity(`${o.people}-guardian`, "Phụ huynh em An");
  await upsert(models.GuardianLink, { identityId: guardian, studentId: byCode.get("DEMO-6A1-1"), schoolId: o.schoolId });
  const board = await identity(`${o.people}-board`, "Phụ huynh em Bình");
  await upsert(models.GuardianLink, { identityId: board, studentId: byCode.get("DEMO-6A1-2"), schoolId: o.schoolId });
  await upsert(models.BoardMembership, { identityId: board, schoolId: o.schoolId, scope: "class", classGroupId: o.classId, position: "head", studentId: byCode.get("DEMO-6A1-2") });
  const teacher = await identity(`${o.people}-teacher`, "Cô Nguyễn Thị Lan");
  await upsert(models.StaffRole, { identityId: teacher, staffId: o.teacherId, schoolId: o.schoolId, role: "homeroom-teacher", classGroupId: o.classId });
  const principal = await identity(`${o.people}-principal`, "Thầy Trần Văn Minh");
  await upsert(models.StaffRole, { identityId: principal, staffId: o.principalId, schoolId: o.schoolId, role: "principal", classGroupId: "" });
}
