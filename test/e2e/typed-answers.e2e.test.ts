/**
 * Answers typed instead of pressed, as parents and teachers type them (without diacritics, in
 * their own words), through the real app and the fake Telegram Bot API on the demo school
 * (Cô Lan teaches 6A1). Found in an acceptance walk of the chat surface (DESIGN.md §5: "Typed
 * answers are matched without diacritics and case").
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { FakeClock } from "../support/fakes.js";
import type { TgUser } from "../support/fake-telegram.js";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import { eventually } from "../support/eventually.js";

const lan: TgUser = { id: 7720001, first_name: "Lan", language_code: "vi" };
const hoa: TgUser = { id: 7720002, first_name: "Hoa", language_code: "vi" };

describe("typed answers (acceptance walk)", () => {
  // Monday 14/09/2026 09:00 in Hà Nội.
  const clock = new FakeClock(new Date("2026-09-14T09:00:00+07:00"));
  let t: TestApp;
  let demo: DemoSeed;

  beforeAll(async () => {
    t = await startTestApp("typed-answers", { clock });
    demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
    await t.say(lan, `/start ${demo.codes.homeroomTeacher.code}`);
    await t.say(lan, "dong y");
    await t.say(hoa, `/start ${demo.codes.guardians.find((c) => c.className === "6A1")!.code}`);
    await t.say(hoa, "dong y");
  }, 60_000);
  afterAll(async () => { await t?.stop(); });

  it("a choice whose label starts with an emoji can be typed without it, and without diacritics", async () => {
    await t.say(lan, "/thongbao");
    expect(t.button(lan, /^✍️ Soạn thông báo mới$/)).toBeTruthy();
    expect(await t.say(lan, "soan thong bao moi")).toMatch(/gõ nội dung thông báo/);
    await t.say(lan, "Kính gửi Quý phụ huynh, thứ Bảy tuần này lớp nghỉ học.");
    // More text where a file is expected: asked for the file, not told about a 40-character limit.
    const more = await t.say(lan, "Quý phụ huynh vui lòng cho con mang theo áo mưa ạ.");
    expect(more).toContain("em chờ một ảnh hoặc tệp");
    expect(more).not.toMatch(/vượt quá giới hạn/);
    await t.say(lan, "/huy");
    await t.say(lan, "/hop");
    expect(t.button(lan, /^➕ Tạo cuộc họp mới$/)).toBeTruthy();
    expect(await t.say(lan, "  TẠO cuộc họp MỚI ")).toMatch(/cuộc họp nào ạ\?/);
    await t.say(lan, "/huy");
  });

  it("a choice can be typed as a few words of its label, when no other choice has them", async () => {
    await t.say(lan, "/hop");
    await t.say(lan, "tao moi");
    // «họp» is in every kind of meeting: ask again; «đầu năm học» is one of them.
    expect(await t.say(lan, "hop")).toMatch(/chưa nhận ra lựa chọn/);
    expect(await t.say(lan, "dau nam hoc a")).toMatch(/diễn ra lúc nào/);
    // «hủy» still leaves the flow, as the ✖ Hủy button does.
    expect(await t.say(lan, "huy")).toMatch(/đã hủy thao tác/);

    const binh: TgUser = { id: 7720003, first_name: "Bình", language_code: "vi" };
    await t.say(binh, `/start ${demo.codes.guardians.find((c) => c.className === "6A2")!.code}`);
    expect(await t.say(binh, "dong y")).toContain("liên kết thành công");
    await t.say(binh, "/xoadulieu");
    expect(await t.say(binh, "xoa du lieu")).toMatch(/đã xóa toàn bộ/);
  });

  it("a guardian who types «da xem» or «tham du ạ» instead of pressing gets the notice or the invitation again, with its buttons", async () => {
    const received = (pattern: RegExp) => eventually(() => t.telegram.sent({ chatId: hoa.id }).some((r) => pattern.test(String(r.params.text ?? ""))), { message: `no ${pattern} to Hoa` });
    for (const answer of ["/thongbao", "1", "Kính gửi Quý phụ huynh, thứ Sáu lớp nghỉ học.", "khong", "2", "thu 6 17h", "gui ngay", "gui"]) await t.say(lan, answer);
    await received(/THÔNG BÁO/);
    const seen = await t.say(hoa, "Đã xem ạ.");
    expect(seen).toContain("vui lòng chọn «Đã xem» ngay dưới thông báo");
    expect(seen).toContain("thứ Sáu lớp nghỉ học");
    expect(await t.press(hoa, t.button(hoa, /Đã xem \(em Nguyễn Văn An\)/))).toContain("Nguyễn Văn An");

    for (const answer of ["/hop", "1", "1", "10/10 19h30", "dung", "Phòng học lớp 6A1", "Bầu Ban đại diện CMHS", "gui"]) await t.say(lan, answer);
    await received(/kính mời Quý phụ huynh dự Họp phụ huynh/);
    const rsvp = await t.say(hoa, "tham du a");
    expect(rsvp).toContain("vui lòng chọn câu trả lời ngay dưới thư mời");
    expect(rsvp).toContain("Họp phụ huynh đầu năm học lớp 6A1 — em Nguyễn Văn An");
    expect(await t.press(hoa, t.button(hoa, /^Tham dự$/))).toContain("Nguyễn Văn An: Tham dự");
    // Anything else still gets the general hint; «vâng» (yes) folds like «vắng» (absent) and is no answer.
    expect(await t.say(hoa, "cam on co")).toContain("em chưa hiểu tin nhắn này");
    expect(await t.say(hoa, "Vâng ạ")).toContain("em chưa hiểu tin nhắn này");
  });

  it("a concern typed before its category is kept: after the category button, it goes straight to the review", async () => {
    const concern = "Con bị sốt từ tối qua, xin phép cho con nghỉ học hôm nay ạ.";
    expect(await t.say(hoa, "/phananh")).toMatch(/chọn loại phản ánh/);
    const kept = await t.say(hoa, concern);
    expect(kept).toContain("em đã ghi lại nội dung phản ánh này");
    expect(kept).toMatch(/chọn loại phản ánh/);
    const review = await t.press(hoa, t.button(hoa, /^Sức khỏe$/));
    expect(review).toMatch(/xem lại/);
    expect(review).toContain(`Nội dung: ${concern}`);
    await t.say(hoa, "/huy");
  });
});

