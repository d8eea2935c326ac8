/**
 * A synthetic district for load and memory measurements (`npm run cli -- demo district`):
 * `schools` schools of classes of 40 pupils, `guardians` guardians in all, each linked to one
 * pupil on Telegram with consent recorded as "synthetic", a principal and one homeroom teacher
 * per class. Names and ids are made up; nothing here is a real person. Inserted in bulk.
 */
import type { Models } from "../../store/models.js";

export interface DistrictOptions {
  schools: number;
  guardians: number;
  /** The Telegram bot id (the token's number) the guardians are linked on. */
  account: string;
  /** Prefix of the schools' slugs and of the fake Telegram user ids' range. */
  tag?: string;
}

export interface DistrictSeed { schoolIds: string[]; classes: number; guardians: number }

const CHUNK = 2_000;
const SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];

export async function seedDistrict(models: Models, o: DistrictOptions): Promise<DistrictSeed> {
  const tag = o.tag ?? "district";
  const perSchool = Math.ceil(o.guardians / o.schools);
  const schoolIds: string[] = [];
  let classes = 0, linked = 0;
  for (let s = 0; s < o.schools; s++) {
    const school = await models.School.create({ name: `Trường THCS Số ${s + 1} (tổng hợp)`, slug: `${tag}-${s + 1}` });
    schoolIds.push(school._id);
    const year = await models.SchoolYear.create({ schoolId: school._id, name: "2026-2027" });
    const n = Math.min(perSchool, o.guardians - linked);
    const classDocs = await models.ClassGroup.insertMany(Array.from({ length: Math.ceil(n / 40) }, (_, i) => ({ schoolId: school._id, yearId: year._id, name: `${6 + (i % 4)}A${Math.floor(i / 4) + 1}`, grade: 6 + (i % 4) })));
    classes += classDocs.length;
    const staff = await models.Staff.insertMany([{ schoolId: school._id, fullName: "Hiệu Trưởng Tổng Hợp", title: "Thầy" }, ...classDocs.map((_, i) => ({ schoolId: school._id, fullName: `Giáo Viên ${i + 1}`, title: "Cô" }))]);
    const staffIds = await models.ChannelIdentity.insertMany(staff.map((_, i) => ({ channel: "telegram", account: o.account, externalUserId: `${tag}-s${s}-t${i}`, chatId: `${tag}-s${s}-t${i}`, locale: "vi" })));
    await models.StaffRole.insertMany(staff.map((st, i) => ({ identityId: staffIds[i]!._id, staffId: st._id, schoolId: school._id, role: i === 0 ? "principal" : "homeroom-teacher", classGroupId: i === 0 ? "" : classDocs[i - 1]!._id })));
    for (let start = 0; start < n; start += CHUNK) {
      const m = Math.min(CHUNK, n - start);
      const students = await models.Student.insertMany(Array.from({ length: m }, (_, k) => ({
        schoolId: school._id, classGroupId: classDocs[Math.floor((start + k) / 40)]!._id, fullName: `${SURNAMES[(start + k) % SURNAMES.length]} Học Sinh ${start + k + 1}`, studentCode: `${tag}-${s}-${start + k}`,
      })));
      const identities = await models.ChannelIdentity.insertMany(students.map((_, k) => {
        const id = String(50_000_000 + linked + k);
        return { channel: "telegram", account: o.account, externalUserId: id, chatId: id, locale: "vi" };
      }));
      await models.GuardianLink.insertMany(identities.map((i, k) => ({ identityId: i._id, studentId: students[k]!._id, schoolId: school._id })));
      await models.ConsentRecord.insertMany(identities.map((i) => ({ identityId: i._id, version: "synthetic" })));
      linked += m;
    }
  }
  return { schoolIds, classes, guardians: linked };
}
