import { deflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/store/mongo.js";
import { importRoster, NotARosterError } from "../../src/features/roster/import-roster.js";
import { readRosterFile, RosterFileError } from "../../src/features/roster/read-table.js";
import { createSchoolAdmin } from "../../src/features/school/admin.js";
import { householdsInScope } from "../../src/store/audience.js";
import { uniqueName } from "../support/test-config.js";

/** A workbook as an office would export it: optional title rows, then `rows`; `merge` ranges like "E2:F2". */
async function workbook(rows: (string | number | Date | null)[][], merge: string[] = []): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("Danh sách");
  for (const r of rows) sheet.addRow(r);
  for (const m of merge) sheet.mergeCells(m);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A one-file zip whose entry inflates to `size` zero bytes (a zip bomb in miniature). */
function zipOfZeros(size: number): Buffer {
  const data = deflateRawSync(Buffer.alloc(size));
  const name = Buffer.from("xl/worksheets/sheet1.xml");
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18); local.writeUInt32LE(size, 22); local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20); central.writeUInt32LE(size, 24); central.writeUInt16LE(name.length, 28);
  const cdOffset = local.length + name.length + data.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(1, 8); eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(central.length + name.length, 12); eocd.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, name, data, central, name, eocd]);
}

describe("rosters from Excel in their real shapes", () => {
  let db: Database;
  let schoolId: string;
  let yearId: string;
  beforeAll(async () => {
    db = await openDatabase(process.env.MONGODB_URI!, uniqueName("roster-xlsx"));
    const admin = createSchoolAdmin(db.models);
    schoolId = (await admin.createSchool({ name: "Trường THCS Chu Văn An", slug: "thcs-cva" }))._id;
    yearId = (await admin.createYear({ schoolId, name: "2026-2027" }))._id;
  });
  afterAll(async () => {
    await db.conn.dropDatabase();
    await db.close();
  });
  const load = async (buf: Buffer, name = "ds.xlsx") => readRosterFile(buf, name);

  it("reads a SMAS-style export: a title, a merged two-row header, extra columns, dates as dates, phones as numbers", async () => {
    const file = await workbook([
      ["DANH SÁCH HỌC SINH NĂM HỌC 2026-2027", null, null, null, null, null, null],
      ["STT", "Họ và tên", "Ngày sinh", "Lớp", "Thông tin phụ huynh", null, "Ghi chú"],
      [null, null, null, null, "Họ tên cha/mẹ", "SĐT phụ huynh", null],
      [1, "Nguyễn Văn An", new Date(Date.UTC(2014, 2, 5)), "6a1", "Nguyễn Văn Hùng", 912345678, ""],
      [2, "Trần Thị Bình", "01/02/2014", "Lớp 6A1", "Lê Thị Hoa", "+84 98 765 4321", "chuyển đến"],
      [3, "Lê Minh Châu", "31/02/2014", "6A1", "", "", ""],
      [4, "Phạm Thu Dung", "12/12/2014", "6/2", "", "0912 345", ""],
      [5, "Hoàng Anh Khoa", "09/09/2014", "12Z9Z9Z9Z9", "", "", ""],
    ], ["A1:G1", "E2:F2", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "G2:G3"]);
    const report = await importRoster(db.models, { schoolId, yearId, records: await load(file), dryRun: false });
    expect(report.rows.map((r) => [r.line, r.status, r.className])).toEqual([
      [4, "ok", "6A1"], [5, "ok", "6A1"], [6, "error", "6A1"], [7, "error", "6/2"], [8, "error", "12Z9Z9Z9Z9"],
    ]);
    expect(report.rows[2]!.error).toMatch(/date of birth "31\/02\/2014"/);
    expect(report.rows[3]!.error).toMatch(/phone "0912 345"/);
    const an = await db.models.Student.findOne({ schoolId, fullName: "Nguyễn Văn An" }).lean();
    expect(an?.dateOfBirth).toBe("05/03/2014");
    expect((await db.models.RosterContact.findById(an!._id).lean())?.phones).toEqual(["0912345678"]);
    const binh = await db.models.Student.findOne({ schoolId, fullName: "Trần Thị Bình" }).lean();
    expect((await db.models.RosterContact.findById(binh!._id).lean())?.phones).toEqual(["0987654321"]);
    expect((await db.models.ClassGroup.find({ yearId }).lean()).map((c) => c.name)).toEqual(["6A1"]);
  });

  it("reads headers without diacritics, keeps same-name pupils apart by date of birth, and a re-import changes nothing", async () => {
    const rows = [
      ["ho ten hoc sinh", "ngay sinh", "lop", "ma hoc sinh", "gioi tinh"],
      ["Võ Ngọc Lan", "03/04/2013", "7A1", "", "Nữ"],
      ["Võ Ngọc Lan", "19/11/2013", "7a1", "", "Nữ"],
      ["Đặng Quốc Bảo", "05/05/2013", "7A1", "HS0701", "Nam"],
    ];
    const file = await workbook(rows);
    const first = await importRoster(db.models, { schoolId, yearId, records: await load(file), dryRun: false });
    expect(first.rows.map((r) => r.status)).toEqual(["ok", "ok", "ok"]);
    const again = await importRoster(db.models, { schoolId, yearId, records: await load(file), dryRun: false });
    expect(again.rows.map((r) => r.status)).toEqual(["exists", "exists", "exists"]);
    expect(await db.models.Student.countDocuments({ schoolId, fullName: "Võ Ngọc Lan" })).toBe(2);
  });

  it("lists pupils missing from a re-import and marks them as left only when confirmed; left pupils are no longer reached", async () => {
    const file = await workbook([["Họ tên", "Ngày sinh", "Lớp"], ["Võ Ngọc Lan", "03/04/2013", "7A1"], ["Võ Ngọc Lan", "19/11/2013", "7A1"]]);
    const preview = await importRoster(db.models, { schoolId, yearId, records: await load(file), dryRun: true });
    expect(preview.missing.map((m) => m.studentName)).toEqual(["Đặng Quốc Bảo"]);
    const kept = await importRoster(db.models, { schoolId, yearId, records: await load(file), dryRun: false });
    expect(kept.markedLeft).toBe(0);
    const confirmed = await importRoster(db.models, { schoolId, yearId, records: await load(file), dryRun: false, markLeft: true });
    expect(confirmed.markedLeft).toBe(1);
    const bao = await db.models.Student.findOne({ schoolId, fullName: "Đặng Quốc Bảo" }).lean();
    expect(bao?.leftAt).toBeInstanceOf(Date);
    const cls = (await db.models.ClassGroup.findOne({ yearId, name: "7A1" }).lean())!;
    expect((await householdsInScope(db.models, { kind: "class", classGroupId: cls._id })).map((h) => h.studentName)).toEqual(["Võ Ngọc Lan", "Võ Ngọc Lan"]);
  });

  it("refuses what is not a roster with a clear message and writes nothing", async () => {
    const before = await db.models.Student.countDocuments({});
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    await expect(load(png, "danh-sach.xlsx")).rejects.toThrow(/không phải tệp Excel/);
    await expect(load(Buffer.alloc(0))).rejects.toThrow(RosterFileError);
    await expect(load(Buffer.alloc(6 * 1024 * 1024, 65), "big.csv")).rejects.toThrow(/lớn hơn 5 MB/);
    await expect(load(zipOfZeros(80 * 1024 * 1024))).rejects.toThrow(/giải nén ra quá lớn/);
    const wrongColumns = await load(await workbook([["Mã sản phẩm", "Giá"], ["SP1", 1000]]));
    await expect(importRoster(db.models, { schoolId, yearId, records: wrongColumns, dryRun: false })).rejects.toThrow(NotARosterError);
    await expect(importRoster(db.models, { schoolId, yearId, records: await load(await workbook([])), dryRun: false })).rejects.toThrow(NotARosterError);
    expect(await db.models.Student.countDocuments({})).toBe(before);
  });
});
