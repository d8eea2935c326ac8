/** `npm run cli -- year rollover`: the preview lists every move and leaver; --apply rolls over once (issue 13). */
import { describe, expect, it } from "vitest";
import { testConfig } from "../support/test-config.js";
import { useCli } from "../support/cli.js";

describe("year rollover from the CLI", { timeout: 60_000 }, () => {
  const { db, cli } = useCli(testConfig("rollover-cli"));

  it("previews, refuses bad flags, applies once and says so the second time", async () => {
    const { models } = db;
    const school = await models.School.create({ name: "THPT Chu Văn An", slug: "cva" });
    // The year being left is the one before the current date's next September.
    const now = new Date();
    const first = now.getUTCMonth() >= 4 ? now.getUTCFullYear() - 1 : now.getUTCFullYear() - 2;
    const from = `${first}-${first + 1}`, to = `${first + 1}-${first + 2}`;
    const year = await models.SchoolYear.create({ schoolId: school._id, name: from });
    const c10 = await models.ClassGroup.create({ schoolId: school._id, yearId: year._id, name: "10a2", grade: 10 });
    const c12 = await models.ClassGroup.create({ schoolId: school._id, yearId: year._id, name: "12a1", grade: 12 });
    await models.Student.create({ schoolId: school._id, classGroupId: c10._id, fullName: "Vũ Hải", studentCode: "1" });
    await models.Student.create({ schoolId: school._id, classGroupId: c12._id, fullName: "Đặng Lan", studentCode: "2" });

    const preview = await cli("year", "rollover", "--school", school._id, "--holiday", `${first + 2}-01-01`);
    expect(preview.code).toBe(0);
    expect(preview.out).toContain(`rollover ${from} → ${to}`);
    expect(preview.out).toContain("class 10a2 → 11a2 (1 pupil(s))");
    expect(preview.out).toContain("leaves: 12a1 Đặng Lan");
    expect(preview.out).toContain("preview only");
    expect(await models.SchoolYear.countDocuments({ schoolId: school._id })).toBe(1);
    await expect(cli("year", "rollover", "--school", school._id, "--quiet", "late")).rejects.toThrow("--quiet is like 21:00-06:30");

    const startsSoon = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    const applied = await cli("year", "rollover", "--school", school._id, "--to", to, "--start", startsSoon, "--apply");
    expect(applied.out).toContain(`applied: ${to} is the current year`);
    expect(applied.code).toBe(0);
    expect((await models.ClassGroup.find({ schoolId: school._id, name: "11a2" }).lean())).toHaveLength(1);
    const again = await cli("year", "rollover", "--school", school._id, "--to", to, "--apply");
    expect(again.out).toContain(`already rolled over to ${to}`);
  });
});
