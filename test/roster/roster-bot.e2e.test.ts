/**
 * A roster file sent to the bot (issue 13), end to end through the fake Telegram Bot API: the
 * principal sends an .xlsx as a document, the bot downloads it (getFile + the file URL), shows
 * the console's dry-run summary (nothing written), and applies it on the button, once. A
 * guardian sending a file gets a kind refusal and the bot does not even download it; a file of
 * another type or a picture renamed .xlsx is declined with its reason.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telegramEventId } from "../../src/channels/telegram/parse-update.js";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { eventually } from "../support/eventually.js";
import type { TgUser } from "../support/fake-telegram.js";

describe("a roster file sent to the bot", { timeout: 120_000 }, () => {
  let t: TestApp;
  let demo: DemoSeed;
  const principal: TgUser = { id: 5550002001, first_name: "Minh", language_code: "vi" };
  const guardian: TgUser = { id: 5550002002, first_name: "Lan", language_code: "vi" };
  const teacher: TgUser = { id: 5550002003, first_name: "Hoa", language_code: "vi" };

  const link = async (user: TgUser, code: string) => {
    expect(await t.say(user, `/start ${code}`)).toMatch(/đồng ý không/);
    expect(await t.press(user, t.button(user, /Tôi đồng ý/))).toMatch(/liên kết thành công|đã xác nhận vai trò/);
  };

  /** Sends a document as `user`, waits until the turn is handled, returns the replies. */
  const sendFile = async (user: TgUser, filename: string, content: Buffer | string) => {
    const since = t.telegram.sent().length;
    const update = t.telegram.userDocument(user, { filename, content });
    const id = telegramEventId(update, t.app.telegram!.account);
    await eventually(async () => (await t.app.db.models.ProcessedEvent.findById(id).lean())?.status === "done", { timeoutMs: 15_000, message: "document not handled" });
    return t.telegram.sent({ chatId: user.id }).filter((r) => r.index >= since).map((r) => String(r.params.text ?? "")).join("\n");
  };

  const workbook = async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("DS");
    sheet.addRow(["DANH SÁCH HỌC SINH"]);
    sheet.addRow(["STT", "Họ và tên", "Ngày sinh", "Lớp"]);
    sheet.addRow([1, "Đinh Bộ Lĩnh", "12/03/2014", "6a1"]);
    sheet.addRow([2, "Lý Công Uẩn", "31/02/2014", "6A1"]);
    sheet.addRow([3, "Trần Nhân Tông", "01/01/2014", "6A2"]);
    sheet.mergeCells("A1:D1");
    return Buffer.from(await book.xlsx.writeBuffer());
  };

  beforeAll(async () => {
    t = await startTestApp("roster-bot");
    demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
    await link(principal, demo.codes.principal.code);
    await link(guardian, demo.codes.guardians[0]!.code);
    await link(teacher, demo.codes.homeroomTeacher.code);
  });
  afterAll(async () => { await t?.stop(); });

  const pupils = () => t.app.db.models.Student.countDocuments({ schoolId: demo.schoolId, fullName: { $in: ["Đinh Bộ Lĩnh", "Trần Nhân Tông", "Lý Công Uẩn"] } });

  it("the principal's workbook: downloaded, shown as a dry run, applied once on the button", async () => {
    const gets = t.telegram.calls("getFile").length;
    const summary = await sendFile(principal, "danh-sach.xlsx", await workbook());
    expect(t.telegram.calls("getFile").length).toBe(gets + 1);
    expect(summary).toContain("chỉ xem trước, chưa ghi gì");
    expect(summary).toContain("Thêm mới: 2");
    expect(summary).toContain("Từ chối: 1");
    expect(summary).toMatch(/4: Lý Công Uẩn \(date of birth "31\/02\/2014"/);
    expect(summary).toContain("Thầy có muốn áp dụng danh sách này không");
    expect(await pupils()).toBe(0);

    const apply = t.button(principal, /^Áp dụng$/);
    expect(await t.press(principal, apply)).toContain("em đã áp dụng danh sách: 2 học sinh thêm mới");
    expect(await pupils()).toBe(2);
    // The same button again: the conversation is over, nothing is imported twice.
    await t.press(principal, apply);
    expect(await pupils()).toBe(2);
  });

  it("a guardian's or a homeroom teacher's file gets a kind refusal and is not downloaded", async () => {
    const gets = t.telegram.calls("getFile").length;
    expect(await sendFile(guardian, "danh-sach.xlsx", await workbook())).toContain("bot chỉ nhận tệp danh sách học sinh từ Ban giám hiệu");
    expect(await sendFile(teacher, "danh-sach.xlsx", await workbook())).toContain("bot chỉ nhận tệp danh sách học sinh từ Ban giám hiệu");
    expect(t.telegram.calls("getFile").length).toBe(gets);
    expect(await t.app.db.models.ConsoleUpload.countDocuments({ schoolId: demo.schoolId })).toBe(0);
  });

  it("a file of another type or a picture renamed .xlsx is declined with its reason, nothing written", async () => {
    expect(await sendFile(principal, "bien-ban.pdf", "%PDF-1.4")).toContain('tệp "bien-ban.pdf" không phải hai loại này');
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    expect(await sendFile(principal, "anh.xlsx", png)).toContain("em chưa đọc được tệp này: Tệp có đuôi .xlsx nhưng không phải tệp Excel");
    expect(await pupils()).toBe(2);
  });
});
