import { describe, it, expect, afterAll, beforeAll } from "vitest";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { eventually } from "../support/eventually.js";
import { countByStatus } from "../support/deliveries.js";
import { FakeClock } from "../support/fakes.js";
import type { SentRecord, TgUser } from "../support/fake-telegram.js";
import { seedNoticeWorld, type NoticeWorld } from "./support/notice-fixture.js";

const teacher: TgUser = { id: 7200001, first_name: "Lan", language_code: "vi" };
const GUARDIAN_BASE = 7300000;
const user = (id: string): TgUser => ({ id: Number(id), first_name: "PH", language_code: "vi" });

describe("a notice with a document to a class of 40 households, end to end through the Telegram Bot API", () => {
  // Monday 14/09/2026 09:00 in Hà Nội: outside quiet hours.
  const clock = new FakeClock(new Date("2026-09-14T02:00:00Z"));
  let t: TestApp;
  let w: NoticeWorld;

  const text = (r: SentRecord) => String(r.params.text ?? r.params.caption ?? "");
  const step = async (u: TgUser, action: { say: string } | { press: RegExp } | { data: string }, pattern: RegExp) => {
    const since = t.telegram.sent().length;
    if ("say" in action) t.telegram.userMessage(u, action.say);
    else t.telegram.callbackQuery(u, "data" in action ? action.data : t.button(u, action.press));
    return text(await t.telegram.waitForSent((r) => String(r.chatId) === String(u.id) && pattern.test(text(r)), { since, timeoutMs: 20_000 }));
  };
  const upload = async (u: TgUser, doc: { filename: string; content: Buffer }, pattern: RegExp) => {
    const since = t.telegram.sent().length;
    t.telegram.userDocument(u, doc);
    return text(await t.telegram.waitForSent((r) => String(r.chatId) === String(u.id) && pattern.test(text(r)), { since, timeoutMs: 20_000 }));
  };
  const noticesTo = (userId: string) => t.telegram.sent({ chatId: Number(userId) }).filter((r) => /Kính gửi: Quý phụ huynh học sinh lớp 6A1/.test(text(r)));

  beforeAll(async () => {
    t = await startTestApp("notice-e2e", { clock });
    w = await seedNoticeWorld(t.app.db.models, {
      account: t.telegram.token.split(":")[0]!, students: 40, guardianBase: GUARDIAN_BASE, withoutGuardian: 1,
      teacherUserId: String(teacher.id), principalUserId: "7200002",
    });
    // Families who opened the bot; pupil 37's guardian never did, pupil 38's blocked it, pupil 39 has nobody linked.
    for (let i = 0; i <= 36; i++) t.telegram.knownChat(Number(w.guardianUserIds[i]));
    t.telegram.knownChat(Number(w.secondGuardianUserId));
    t.telegram.block(Number(w.guardianUserIds[38]));
  });
  afterAll(async () => { await t?.stop(); });

  it("teacher writes, attaches a PDF, asks for confirmation → every reachable guardian gets it privately → confirmations → report → re-notify", async () => {
    await step(teacher, { say: "/thongbao" }, /soạn thông báo mới/);
    await step(teacher, { press: /Soạn thông báo mới/ }, /nội dung thông báo/);
    const body = "Nhà trường trân trọng thông báo lịch kiểm tra giữa học kỳ I và bảng thu các khoản theo quy định (đính kèm).";
    await step(teacher, { say: body }, /đính kèm ảnh hoặc tệp/);

    // Bad attachments are refused with a clear reason; the step is asked again.
    expect(await upload(teacher, { filename: "virus.exe", content: Buffer.from("MZ") }, /không thuộc loại/)).toContain("virus.exe");
    expect(await upload(teacher, { filename: "cong-van.pdf", content: Buffer.alloc(51 * 1024 * 1024) }, /vượt giới hạn/)).toMatch(/51 MB.*50 MB/);
    const pdf = Buffer.from("%PDF-1.4 công văn số 12/THCS-NĐ");
    await upload(teacher, { filename: "cong-van-12.pdf", content: pdf }, /loại nào/);
    await step(teacher, { press: /Cần xác nhận/ }, /hạn xác nhận là lúc nào/);
    expect(await step(teacher, { say: "1/9 17h" }, /hạn xác nhận/)).toMatch(/phải ở sau/);
    await step(teacher, { say: "18/9 17h" }, /gửi ngay hay hẹn giờ/);
    const since = t.telegram.sent().length;
    await step(teacher, { press: /^Gửi ngay$/ }, /xác nhận gửi/);
    // The preview is the very document and caption families will get.
    const preview = t.telegram.sent({ chatId: teacher.id }).filter((r) => r.index >= since && r.method === "sendDocument");
    expect(preview).toHaveLength(1);
    expect(text(preview[0]!)).toContain("Cô Nguyễn Thị Lan — GVCN lớp 6A1");
    const uploaded = t.telegram.file(String(preview[0]!.params.document))!;
    expect(uploaded.content.equals(pdf)).toBe(true);

    expect(await step(teacher, { press: /^Gửi$/ }, /đang gửi thông báo/)).toContain("39 học sinh");

    // 37 households reached (pupil 0 through two guardians); 38 chats in all.
    const reachable = [...w.guardianUserIds.slice(0, 37), w.secondGuardianUserId];
    await eventually(() => reachable.every((id) => noticesTo(id).length === 1), { timeoutMs: 20_000, message: "every reachable guardian got the notice" });
    for (const id of reachable) {
      const [m] = noticesTo(id);
      expect(m!.method).toBe("sendDocument");
      expect(m!.params.document).toBe(preview[0]!.params.document); // the file_id is resent, not re-uploaded
      expect(text(m!)).toMatch(/^📢 THÔNG BÁO\nKính gửi: Quý phụ huynh học sinh lớp 6A1\n/);
      expect(text(m!)).toContain(body);
      expect(text(m!)).toMatch(/Cô Nguyễn Thị Lan — GVCN lớp 6A1$/);
      expect(text(m!)).toContain("trước Thứ Sáu, 18/09/2026 lúc 17:00");
    }
    expect(text(noticesTo(w.guardianUserIds[5]!)[0]!)).toContain(`em ${w.students[5]!.name} chọn «Đã xem»`);
    expect(noticesTo(w.guardianUserIds[38]!)).toEqual([]);
    const models = t.app.db.models;
    await eventually(async () => (await countByStatus(models, "unreachable")) === 2, { timeoutMs: 20_000, message: "blocked and never-started marked unreachable" });

    // Ten households confirm; pupil 0's second guardian presses too and it still counts once.
    for (let i = 0; i < 10; i++) {
      const g = user(w.guardianUserIds[i]!);
      expect(await step(g, { press: /Đã xem/ }, /đã xem thông báo|đã được xác nhận/)).toContain(w.students[i]!.name);
    }
    expect(await step(user(w.secondGuardianUserId), { press: /Đã xem/ }, /đã được xác nhận/)).toContain(w.students[0]!.name);

    // The report, per household, by pupil name only.
    await step(teacher, { say: "/thongbao" }, /soạn thông báo mới/);
    const report = await step(teacher, { press: /Cần xác nhận · đã gửi/ }, /Báo cáo thông báo/);
    expect(report).toContain("Số hộ (học sinh): 40");
    expect(report).toContain("✅ Đã nhận: 37");
    // Never linked and linked-but-unreachable are told apart (pupil 39; pupils 37 and 38).
    expect(report).toContain(`🔗 Chưa liên kết với bot: 1 — ${w.students[39]!.name}`);
    expect(report).toContain(`🚫 Không liên lạc được (chặn bot/chưa bắt đầu): 2 — `);
    for (const i of [37, 38, 39]) expect(report).toContain(w.students[i]!.name);
    expect(report).toContain("👁 Đã xác nhận: 10");
    // "Not confirmed" counts reached households only; the button's number is what it will remind.
    expect(report).toContain("❔ Đã nhận, chưa xác nhận: 27");
    expect(report).not.toMatch(/PH |7300/);

    // One tap re-notifies the 27 reachable households that have not confirmed, with new keys.
    const beforeRenotify = t.telegram.sent().length;
    expect(await step(teacher, { press: /Nhắc lại 27 hộ/ }, /đã nhắc lại/)).toContain("27 học sinh");
    const reminded = w.guardianUserIds.slice(10, 37);
    await eventually(() => reminded.every((id) => t.telegram.sent({ chatId: Number(id) }).some((r) => r.index >= beforeRenotify && /KÍNH NHẮC/.test(text(r)))),
      { timeoutMs: 20_000, message: "reminders to the 27 households" });
    for (const id of [...w.guardianUserIds.slice(0, 10), w.secondGuardianUserId])
      expect(t.telegram.sent({ chatId: Number(id) }).some((r) => /KÍNH NHẮC/.test(text(r)))).toBe(false);
    expect(await models.Delivery.countDocuments({ _id: /-r1-/ })).toBe(27);

    // A guardian lists recent notices of the class; a confirmed one has no button left.
    const inbox = await step(user(w.guardianUserIds[3]!), { say: "/thongbao" }, /Đã xác nhận:/);
    expect(inbox).toContain(`Đã xác nhận: ${w.students[3]!.name}`);
    const unconfirmed = await step(user(w.guardianUserIds[20]!), { say: "/thongbao" }, /Đã xác nhận:/);
    expect(unconfirmed).toContain("Đã xác nhận: —");
    expect(t.button(user(w.guardianUserIds[20]!), /Đã xem \(em/)).toMatch(/^na-n[a-z0-9]+-/);
  });
});
