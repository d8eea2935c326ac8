import { describe, it, expect } from "vitest";
import mongoose from "mongoose";
import type { Database } from "../../src/store/mongo.js";
import { registerModels } from "../../src/store/models.js";
import { createSchoolAdmin } from "../../src/features/school/admin.js";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";

/** A school with `perClass` pupils in each of two classes. */
async function seedSchool(db: Database, slug: string, perClass: number) {
  const m = db.models;
  const school = await m.School.create({ name: `Trường ${slug}`, slug });
  const year = await m.SchoolYear.create({ schoolId: school._id, name: "2026-2027" });
  const classes = await m.ClassGroup.insertMany(["6A1", "6A2"].map((name) => ({ schoolId: school._id, yearId: year._id, name, grade: 6 })));
  const students = await m.Student.insertMany(classes.flatMap((c, ci) => Array.from({ length: perClass }, (_, k) => ({
    schoolId: school._id, classGroupId: c._id, fullName: `Nguyễn Văn ${String.fromCharCode(65 + k)}${ci}`, studentCode: `${slug}-${ci}-${k}`,
  }))));
  return { schoolId: school._id as string, classIds: classes.map((c) => c._id as string), students };
}

describe("guardian invite codes (the export the slips and `codes guardians` print)", () => {
  const config = testConfig("guardian-codes");
  const db = useDatabase(config);

  it("gives each pupil one usable code, lists the same codes again, and replaces only used-up or revoked ones", async () => {
    const { schoolId, classIds, students } = await seedSchool(db, "gc-a", 4);
    const admin = createSchoolAdmin(db.models);
    const first = await admin.guardianCodes({ schoolId, ttlDays: 30 });
    expect(first).toHaveLength(students.length);
    expect(new Set(first.map((r) => r.code)).size).toBe(students.length);
    expect(first.map((r) => r.className).sort()).toEqual([...Array(4).fill("6A1"), ...Array(4).fill("6A2")]);

    const again = await admin.guardianCodes({ schoolId, ttlDays: 30 });
    expect(again.map((r) => r.code)).toEqual(first.map((r) => r.code));
    expect(await db.models.InviteCode.countDocuments({ schoolId })).toBe(students.length);

    // One code's two slots used, another revoked: those two pupils get new codes, nobody else.
    const full = first[0]!.code, revoked = first[1]!.code;
    await db.models.InviteRedemption.insertMany([1, 2].map((k) => ({ _id: `${full}:${k}`, code: full, identityId: `i-${k}`, slot: k })));
    expect(await admin.revokeCode(revoked)).toBe(true);
    const third = await admin.guardianCodes({ schoolId, ttlDays: 30 });
    const changed = third.filter((r, i) => r.code !== first[i]!.code);
    expect(changed.map((r) => r.subject)).toEqual([first[0]!.subject, first[1]!.subject]);
    expect(await db.models.InviteCode.countDocuments({ schoolId })).toBe(students.length + 2);

    const oneClass = await admin.guardianCodes({ schoolId, classGroupId: classIds[1]!, ttlDays: 30 });
    expect(oneClass.map((r) => r.className)).toEqual(Array(4).fill("6A2"));
  });

  it("costs the same number of database commands for 40 pupils as for 4 (no query per pupil)", async () => {
    const small = await seedSchool(db, "gc-small", 2);
    const large = await seedSchool(db, "gc-large", 20);
    const conn = mongoose.createConnection(config.mongo.uri, { dbName: config.mongo.db, autoIndex: false, autoCreate: false, monitorCommands: true });
    await conn.asPromise();
    let commands = 0;
    conn.getClient().on("commandStarted", () => void commands++);
    const admin = createSchoolAdmin(registerModels(conn));
    const count = async (schoolId: string) => {
      const before = commands;
      await admin.guardianCodes({ schoolId, ttlDays: 30 }); // issues every code
      await admin.guardianCodes({ schoolId, ttlDays: 30 }); // lists them again
      return commands - before;
    };
    try {
      const few = await count(small.schoolId);
      const many = await count(large.schoolId);
      expect(many).toBe(few);
      expect(few).toBeLessThanOrEqual(9);
    } finally {
      await conn.close();
    }
  });
});
