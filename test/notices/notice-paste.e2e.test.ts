/**
 * A notice pasted as 6,000 characters arrives from Telegram as two messages (split at 4,096):
 * through the real polling loop, the two are one answer — nothing is cut, and the tail is not
 * taken as the answer to the next step (it would be asked again for the file).
 */
import { describe, it, expect, afterAll, beforeAll } from "vitest";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { FakeClock } from "../support/fakes.js";
import type { SentRecord, TgUser } from "../support/fake-telegram.js";
import { seedNoticeWorld } from "./support/notice-fixture.js";
import { createConversationStore } from "../../src/store/conversations.js";

const teacher: TgUser = { id: 7210001, first_name: "Lan", language_code: "vi" };

describe("a long pasted notice through the Telegram Bot API", () => {
  const clock = new FakeClock(new Date("2026-09-14T02:00:00Z"));
  let t: TestApp;
  const text = (r: SentRecord) => String(r.params.text ?? r.params.caption ?? "");
  const step = async (action: { say: string } | { press: RegExp }, pattern: RegExp) => {
    const since = t.telegram.sent().length;
    if ("say" in action) t.telegram.userMessage(teacher, action.say);
    else t.telegram.callbackQuery(teacher, t.button(teacher, action.press));
    return text(await t.telegram.waitForSent((r) => String(r.chatId) === String(teacher.id) && pattern.test(text(r)), { since, timeoutMs: 15_000 }));
  };

  beforeAll(async () => {
    t = await startTestApp("notice-paste", { clock });
    await seedNoticeWorld(t.app.db.models, { account: t.telegram.token.split(":")[0]!, students: 2, guardianBase: 7310000, teacherUserId: String(teacher.id), principalUserId: "7210002" });
  });
  afterAll(async () => { await t?.stop(); });

  it("6,000 characters in two messages are one notice text, and the next step is asked once", async () => {
    await step({ say: "/thongbao" }, /soạn thông báo mới/);
    await step({ press: /Soạn thông báo mới/ }, /nội dung thông báo/);
    const line = "Nhà trường trân trọng thông báo lịch kiểm tra giữa học kỳ I. ";
    const whole = line.repeat(Math.ceil(6000 / line.length)).slice(0, 5999) + ".";
    const since = t.telegram.sent().length;
    t.telegram.userMessage(teacher, whole.slice(0, 4096));
    t.telegram.userMessage(teacher, whole.slice(4096));
    await t.telegram.waitForSent((r) => String(r.chatId) === String(teacher.id) && /đính kèm ảnh hoặc tệp/.test(text(r)), { since, timeoutMs: 15_000 });
    await t.app.receiver.idle();
    const replies = t.telegram.sent({ chatId: teacher.id }).filter((r) => r.index >= since).map(text);
    expect(replies.filter((x) => /vượt quá giới hạn|em chờ một ảnh hoặc tệp/.test(x))).toEqual([]);
    expect(replies.filter((x) => /đính kèm ảnh hoặc tệp/.test(x))).toHaveLength(1);
    const state = await createConversationStore(t.app.db.models).get(`telegram:${t.telegram.token.split(":")[0]}:${teacher.id}`);
    expect(state?.step).toBe("askFile");
    expect((state?.data as { text?: string }).text).toBe(whole.trim());
  });
});
