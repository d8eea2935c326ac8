import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/store/mongo.js";
import { importRoster } from "../../src/features/roster/import-roster.js";
import { createSchoolAdmin } from "../../src/features/school/admin.js";
import { uniqueName } from "../support/test-config.js";

describe("roster import by natural key (class + name + date of birth)", () => {
  let db: Database;
  let schoolId: string;
  let yearId: string;
  beforeAll(async () => {
    db = await openDatabase(process.env.MONGODB_URI!, uniqueName("roster"));
    const admin = createSchoolAdmin(db.models);
    schoolId = (await admin.createSchool({ name: "Trường THCS Lê Lợi", slug: "thcs-le-loi" }))._id;
    yearId = (await admin.createYear({ schoolId, name: "2026-2027" }))._id;
  });
  afterAll(async () => {
    await db.conn.dropDatabase();
    await db.close();
  });

  const csv = [
    "lop,ho_ten,ngay_sinh",
    "6A1,Nguyễn Văn An,05/03/2014",
    "6A1,Nguyễn Văn An,12/11/2014", // same name, another pupil: kept apart by date of birth
    "6A1,Trần Thị Bình,01/02/2014",
    "6A1,Lê Minh Châu,", // same name twice, nothing to tell them apart
    "6A1,Le Minh Chau,",
    "6A2,Phạm Thu Dung,",
  ].join("\n");

  it("re-importing a file without student codes creates no duplicates; same-name pupils are kept apart or reported", async () => {
    const first = await importRoster(db.models, { schoolId, yearId, csv, dryRun: false });
    expect(first.rows.map((r) => [r.line, r.status])).toEqual([[2, "ok"], [3, "ok"], [4, "ok"], [5, "ambiguous"], [6, "ambiguous"], [7, "ok"]]);
    expect(first.created).toBe(4);
    expect(await db.models.Student.countDocuments({ schoolId })).toBe(4);

    const again = await importRoster(db.models, { schoolId, yearId, csv, dryRun: false });
    expect(again.created).toBe(0);
    expect(again.rows.filter((r) => r.status === "exists").map((r) => r.line)).toEqual([2, 3, 4, 7]);
    expect(await db.models.Student.countDocuments({ schoolId })).toBe(4);
  });

  it("a row matching an existing pupil by name only is reported, never merged", async () => {
    const r = await importRoster(db.models, { schoolId, yearId, csv: "lop,ho_ten,ngay_sinh\n6A2,Phạm Thu Dung,03/03/2014\n", dryRun: false });
    expect(r.rows.map((x) => x.status)).toEqual(["ambiguous"]);
    expect(await db.models.Student.countDocuments({ schoolId, fullName: "Phạm Thu Dung" })).toBe(1);
  });

  it("a crash halfway then a re-run, and two imports at once, leave one pupil per row", async () => {
    const big = ["lop,ho_ten,ngay_sinh", ...Array.from({ length: 30 }, (_, i) => `7A1,Học Sinh ${i},0${(i % 9) + 1}/01/2013`)].join("\n");
    // The "crash": only the first ten rows made it in before the process died.
    const partial = big.split("\n").slice(0, 11).join("\n");
    await importRoster(db.models, { schoolId, yearId, csv: partial, dryRun: false });
    const [a, b] = await Promise.all([
      importRoster(db.models, { schoolId, yearId, csv: big, dryRun: false }),
      importRoster(db.models, { schoolId, yearId, csv: big, dryRun: false }),
    ]);
    const cls = await db.models.ClassGroup.find({ yearId, name: "7A1" }).lean();
    expect(cls).toHaveLength(1);
    expect(await db.models.Student.countDocuments({ classGroupId: cls[0]!._id })).toBe(30);
    expect(a.created + b.created).toBe(20);
  });
});
