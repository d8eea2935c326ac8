import { describe, it, expect } from "vitest";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { testConfig } from "../support/test-config.js";
import { useCli } from "../support/cli.js";

describe("admin CLI", () => {
  const { db, cli } = useCli(testConfig("cli", { TELEGRAM_BOT_USERNAME: "truong_nd_bot" }));
  const dir = mkdtempSync(join(tmpdir(), "sll-cli-"));

  it("creates a school and year, imports a roster with a per-row error report, and issues codes as CSV", async () => {
    const school = JSON.parse((await cli("school", "create", "--name", "Trường THCS Lê Lợi", "--slug", "thcs-le-loi")).out);
    const year = JSON.parse((await cli("year", "create", "--school", school._id, "--name", "2026-2027")).out);
    const csv = join(dir, "roster.csv");
    writeFileSync(csv, "\uFEFFlop,ho_ten,ngay_sinh,ma_hs\n6A1,Nguyễn Văn An,05/03/2014,HS001\n6A1,,01/01/2014,HS002\n6/2,Trần Thị Bình,31/02/2014,HS003\n6/2,Lê Văn Cường,1/9/2014,HS001\n6/2,Phạm Thu Dung,,\n");

    const dry = await cli("roster", "import", "--school", school._id, "--year", year._id, "--file", csv, "--dry-run");
    expect(dry.code).toBe(1);
    expect(dry.out).toContain("line 3: error — missing student name");
    expect(dry.out).toContain('line 4: error — date of birth "31/02/2014" is not dd/mm/yyyy');
    expect(dry.out).toContain("line 5: error — student code HS001 appears twice");
    expect(dry.out).toContain("dry run: would create 2 student(s), 0 updated, 3 error(s)");
    expect(await db.models.Student.countDocuments({ schoolId: school._id })).toBe(0);

    await cli("roster", "import", "--school", school._id, "--year", year._id, "--file", csv);
    expect(await db.models.Student.countDocuments({ schoolId: school._id })).toBe(2);
    expect((await db.models.ClassGroup.find({ schoolId: school._id }).lean()).map((c) => [c.name, c.grade]).sort()).toEqual([["6/2", 6], ["6A1", 6]]);

    const codes = parse((await cli("codes", "guardians", "--school", school._id)).out, { columns: true }) as Record<string, string>[];
    expect(codes.map((c) => c.student_or_role)).toEqual(["Nguyễn Văn An", "Phạm Thu Dung"]);
    expect(codes[0]!.deep_link).toMatch(/^https:\/\/t\.me\/truong_nd_bot\?start=[0-9A-Z]{13}$/);
    // Asking again lists the same still-usable codes instead of minting new ones.
    const again = parse((await cli("codes", "guardians", "--school", school._id)).out, { columns: true }) as Record<string, string>[];
    expect(again.map((c) => c.code)).toEqual(codes.map((c) => c.code));
  });

  it("prints a printable sheet and the demo school's codes as JSON", async () => {
    const demo = JSON.parse((await cli("demo", "seed", "--json")).out);
    expect(demo.codes.guardians).toHaveLength(8);
    expect(demo.codes.principal.code).toMatch(/^[0-9A-Z]{13}$/);
    const sheet = await cli("codes", "guardians", "--school", demo.schoolId, "--format", "sheet");
    expect(sheet.out).toContain("Kính gửi Quý phụ huynh học sinh");
  });

  it("prints a one-time console link for a new school's first admin, which signs in once", async () => {
    const school = JSON.parse((await cli("school", "create", "--name", "Trường THCS Kim Đồng", "--slug", "thcs-kim-dong")).out);
    const link = await cli("admin", "link", "--school", school._id);
    expect(link.code).toBe(0);
    const url = new URL(link.out.split("\n")[0]!);
    expect(url.pathname).toBe("/admin/login");
    const { redeemConsoleLink } = await import("../../src/features/console/sign-in.js");
    const first = await redeemConsoleLink(db.models, url.searchParams.get("t")!, new Date());
    expect(first).toMatchObject({ status: "ok", session: { schoolId: school._id, role: "admin" } });
    expect(await redeemConsoleLink(db.models, url.searchParams.get("t")!, new Date())).toEqual({ status: "expired" });
    await expect(cli("admin", "link", "--school", "nope")).rejects.toThrow(/no school/);
  });

  it("rejects an unknown command with usage", async () => {
    await expect(cli("frobnicate")).rejects.toThrow(/unknown command/);
  });
  it("generates a synthetic district for load and memory benchmarks: schools, classes, guardians linked with consent", async () => {
    const { code, out } = await cli("demo", "district", "--schools", "3", "--guardians", "100");
    expect(code).toBe(0);
    expect(out).toMatch(/^3 schools, 3 classes, 100 guardians linked/);
    const schools = await db.models.School.find({ slug: /^district-/ }).lean();
    expect(schools).toHaveLength(3);
    const ids = schools.map((s) => s._id);
    expect(await db.models.GuardianLink.countDocuments({ schoolId: { $in: ids } })).toBe(100);
    expect(await db.models.StaffRole.countDocuments({ schoolId: { $in: ids }, role: "principal" })).toBe(3);
    const links = await db.models.GuardianLink.find({ schoolId: ids[0] }).lean();
    expect(await db.models.ConsentRecord.countDocuments({ identityId: { $in: links.map((l) => l.identityId) } })).toBe(links.length);
  });
});
