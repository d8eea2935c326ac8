import { describe, it, expect, afterAll, beforeAll } from "vitest";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { eventually } from "../support/eventually.js";
import { FakeClock } from "../support/fakes.js";
import { countByStatus } from "../support/deliveries.js";
import type { SentRecord, TgUser } from "../support/fake-telegram.js";
import { QUEUES } from "../../src/jobs/queues.js";
import { createMessageRefs } from "../../src/store/message-refs.js";
import { noticeReportKey } from "../../src/features/notices/port.js";
import { seedNoticeWorld, type NoticeWorld } from "./support/notice-fixture.js";

const teacher: TgUser = { id: 7210001, first_name: "Lan", language_code: "vi" };
const GUARDIAN_BASE = 7310000;
const user = (id: string): TgUser => ({ id: Number(id), first_name: "PH", language_code: "vi" });

describe("the sender's notice report updates in place as confirmations arrive (Telegram)", () => {
  // Monday 14/09/2026 09:00:05 in Hà Nội: outside quiet hours, 5 s into a 30 s bucket.
  const clock = new FakeClock(new Date("2026-09-14T02:00:05Z"));
  let t: TestApp;
  let w: NoticeWorld;

  const text = (r: SentRecord) => String(r.params.text ?? r.params.caption ?? "");
  const inChat = (u: TgUser) => (r: SentRecord) => String(r.chatId) === String(u.id);
  const step = async (u: TgUser, action: { say: string } | { press: RegExp }, pattern: RegExp) => {
    const since = t.telegram.sent().length;
    if ("say" in action) t.telegram.userMessage(u, action.say);
    else t.telegram.callbackQuery(u, t.button(u, action.press));
    return t.telegram.waitForSent((r) => inChat(u)(r) && pattern.test(text(r)), { since, timeoutMs: 20_000 });
  };
  const refreshJobs = async () => (await t.app.queues.get(QUEUES.broadcasts).getJobs(["delayed", "waiting"])).filter((j) => j.name === "notice-report");

  beforeAll(async () => {
    t = await startTestApp("notice-live", { clock });
    w = await seedNoticeWorld(t.app.db.models, {
      account: t.telegram.token.split(":")[0]!, students: 4, guardianBase: GUARDIAN_BASE, teacherUserId: String(teacher.id), principalUserId: "7210002",
    });
    for (let i = 0; i < 4; i++) t.telegram.knownChat(Number(w.guardianUserIds[i]));
    t.telegram.knownChat(Number(w.secondGuardianUserId));
    t.telegram.knownChat(teacher.id);
  });
  afterAll(async () => { await t?.stop(); });

  it("two guardians press Đã xem → one refresh edits the report the teacher opened (same message, new count); a lost message is sent anew", async () => {
    const created = await t.app.services.broadcast.create(await w.actor(w.identities.teacher), {
      schoolId: w.schoolId, scope: { kind: "class", classGroupId: w.classId }, kind: "ack", urgent: false,
      text: "Kính mời Quý phụ huynh xác nhận lịch tham quan.", deadline: new Date("2026-09-18T10:00:00Z"),
    }, "evt-live-notice");
    if (created.status !== "sent") throw new Error(`notice not sent: ${created.status}`);
    const noticeId = created.notice.id;
    await eventually(() => w.guardianUserIds.slice(0, 4).every((id) => t.telegram.sent({ chatId: Number(id) }).some((r) => /Đã xem/.test(JSON.stringify(r.params.reply_markup ?? "")))),
      { timeoutMs: 15_000, message: "every guardian got the notice with its Đã xem button" });

    // The teacher opens the report: a new message in the chat.
    await step(teacher, { say: "/thongbao" }, /soạn thông báo mới/);
    const opened = await step(teacher, { press: /Cần xác nhận · đã gửi/ }, /Báo cáo thông báo/);
    expect(opened.method).toBe("sendMessage");
    expect(text(opened)).toContain("👁 Đã xác nhận: 0");
    const reportId = opened.message!.message_id;

    // Two households confirm within the same 30 s: one refresh job, none sent yet.
    for (const i of [0, 1]) {
      await step(user(w.guardianUserIds[i]!), { press: /Đã xem/ }, /đã xem thông báo/);
      clock.advance(5_000);
    }
    const jobs = await refreshJobs();
    expect(jobs).toHaveLength(1);
    expect(t.telegram.sent({ chatId: teacher.id }).filter((r) => r.index > opened.index)).toEqual([]);

    // The end of the bucket: the report is edited in place with both confirmations and its buttons.
    const since = t.telegram.sent().length;
    await jobs[0]!.promote();
    const edited = await t.telegram.waitForSent((r) => inChat(teacher)(r) && r.method === "editMessageText", { since, timeoutMs: 15_000 });
    expect(edited.message!.message_id).toBe(reportId);
    expect(text(edited)).toContain("👁 Đã xác nhận: 2");
    expect(text(edited)).toContain("❔ Đã nhận, chưa xác nhận: 2");
    expect(JSON.stringify(edited.params.reply_markup)).toMatch(/Nhắc lại 2 hộ/);
    expect(t.telegram.sent({ chatId: teacher.id }).filter((r) => r.index >= since && r.method === "sendMessage")).toEqual([]);

    // Another confirmation in the next bucket; the teacher taps 🔄 first: the same message is edited at once.
    clock.advance(30_000);
    await step(user(w.guardianUserIds[2]!), { press: /Đã xem/ }, /đã xem thông báo/);
    const second = await refreshJobs();
    expect(second).toHaveLength(1);
    const tapped = await step(teacher, { press: /Cập nhật báo cáo/ }, /👁 Đã xác nhận: 3/);
    expect(tapped.method).toBe("editMessageText");
    expect(tapped.message!.message_id).toBe(reportId);
    // Its refresh then finds the report already showing that: "not modified" counts as delivered, nothing new is sent.
    const beforeSecond = t.telegram.sent().length;
    await second[0]!.promote();
    const models = t.app.db.models;
    await eventually(async () => (await countByStatus(models, "sent", `nrep-${noticeId}`)) === 2, { timeoutMs: 15_000, message: "second refresh delivered" });
    expect(t.telegram.sent({ chatId: teacher.id }).filter((r) => r.index >= beforeSecond)).toEqual([]);

    // The report message was lost (the recorded id no longer exists): the next refresh is sent anew and becomes the one to edit.
    const chatKey = `telegram:${t.telegram.token.split(":")[0]}:${teacher.id}`;
    const refs = createMessageRefs(t.app.db.conn);
    await refs.set(chatKey, noticeReportKey(noticeId), "999999");
    clock.advance(30_000);
    await step(user(w.guardianUserIds[3]!), { press: /Đã xem/ }, /đã xem thông báo/);
    const third = await refreshJobs();
    expect(third).toHaveLength(1);
    const resent = t.telegram.sent().length;
    await third[0]!.promote();
    const fresh = await t.telegram.waitForSent((r) => inChat(teacher)(r) && r.method === "sendMessage" && /Báo cáo thông báo/.test(text(r)), { since: resent, timeoutMs: 15_000 });
    expect(text(fresh)).toContain("👁 Đã xác nhận: 4");
    await eventually(async () => (await refs.get(chatKey, noticeReportKey(noticeId))) === String(fresh.message!.message_id),
      { timeoutMs: 15_000, message: "the new report message is the one recorded" });
  });
});
