import { describe, it, expect, afterAll, beforeAll } from "vitest";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { FakeClock } from "../support/fakes.js";
import type { SentRecord, TgUser } from "../support/fake-telegram.js";
import { seedMeetingWorld, type MeetingWorld } from "../meetings/support/meeting-fixture.js";

const teacher: TgUser = { id: 7400001, first_name: "Lan", language_code: "vi" };
type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
const keyboardOf = (r: SentRecord) => (r.message?.reply_markup as Keyboard | undefined)?.inline_keyboard.flat() ?? [];

describe("buttons on Telegram: a choice settles its keyboard, the meeting menu is edited in place", () => {
  const clock = new FakeClock(new Date("2026-09-14T02:00:00Z"));
  let t: TestApp;
  let w: MeetingWorld;

  beforeAll(async () => {
    t = await startTestApp("buttons-e2e", { clock });
    w = await seedMeetingWorld(t.app.db.models, { account: t.telegram.token.split(":")[0]!, userIds: { teacher: String(teacher.id) } });
    const actor = await w.actor(w.identities.teacher);
    await t.app.services.meetings.create(actor, { schoolId: w.schoolId, scope: { kind: "class", classGroupId: w.classId }, kind: "start-year",
      startsAt: new Date("2026-09-19T12:30:00Z"), place: "Phòng 6A1", agenda: "Bầu Ban đại diện" }, "ev-buttons-create");
  }, 60_000);
  afterAll(async () => { await t?.stop(); });

  it("the meeting menu replaces the /hop list and comes back in place after «Danh sách trả lời»; a choice made leaves «✓ <choice>»; a tap on it is silent", async () => {
    await t.say(teacher, "/hop");
    const list = t.telegram.sent({ chatId: teacher.id }).at(-1)!;
    const listId = list.message!.message_id;
    await t.press(teacher, keyboardOf(list).find((b) => /19\/09\/2026/.test(b.text))!.callback_data);
    const menu = t.telegram.sent({ chatId: teacher.id }).at(-1)!;
    expect(menu.method).toBe("editMessageText");
    expect(menu.message!.message_id).toBe(listId);
    expect(String(menu.params.text)).toMatch(/Trạng thái: đã gửi thư mời[\s\S]*muốn làm gì/);

    const since = t.telegram.sent().length;
    const tallyReply = await t.press(teacher, keyboardOf(menu).find((b) => /Danh sách trả lời/.test(b.text))!.callback_data);
    expect(tallyReply).toMatch(/Chưa trả lời/);
    // The menu is the same message (edited, or unchanged when the summary did not move), not a new one at the bottom.
    const after = t.telegram.sent({ chatId: teacher.id }).filter((r) => r.index >= since);
    expect(after.filter((r) => r.method === "sendMessage").map((r) => String(r.params.text))).toEqual([expect.stringMatching(/Chưa trả lời/)]);
    expect(after.filter((r) => r.method === "editMessageReplyMarkup")).toEqual([]); // its keyboard stays live

    await t.say(teacher, "/hop");
    const list2 = t.telegram.sent({ chatId: teacher.id }).at(-1)!;
    await t.press(teacher, keyboardOf(list2).find((b) => /Tạo cuộc họp mới/.test(b.text))!.callback_data);
    const settled = t.telegram.sent({ chatId: teacher.id }).find((r) => r.method === "editMessageReplyMarkup" && r.message?.message_id === list2.message!.message_id)!;
    expect(keyboardOf(settled).map((b) => b.text)).toEqual(["✓ ➕ Tạo cuộc họp mới"]);

    const before = t.telegram.sent({ chatId: teacher.id }).length;
    expect(await t.press(teacher, "x-done")).toBe("");
    expect(t.telegram.sent({ chatId: teacher.id })).toHaveLength(before);
  }, 90_000);
});
