import { describe, it, expect, afterAll, beforeAll } from "vitest";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { eventually } from "../support/eventually.js";
import { countByStatus } from "../support/deliveries.js";
import { FakeClock } from "../support/fakes.js";
import type { TgUser } from "../support/fake-telegram.js";
import { QUEUES } from "../../src/jobs/queues.js";
import { seedMeetingWorld } from "./support/meeting-fixture.js";

const teacher: TgUser = { id: 7100001, first_name: "Lan", language_code: "vi" };
const anMom: TgUser = { id: 7100002, first_name: "Hoa", language_code: "vi" };
const anDad: TgUser = { id: 7100003, first_name: "Nam", language_code: "vi" };
const binhMom: TgUser = { id: 7100004, first_name: "Thu", language_code: "vi" };

describe("parent meeting end to end through the Telegram Bot API", () => {
  // Monday 14/09/2026 09:00 in Hà Nội; reminder delays are measured on this clock.
  const clock = new FakeClock(new Date("2026-09-14T02:00:00Z"));
  let t: TestApp;

  const textsTo = (user: TgUser) => t.telegram.sent({ chatId: user.id }).map((r) => String(r.params.text ?? r.params.caption ?? ""));
  /** Waits for a message to `user` matching `pattern`, sent after position `since`. */
  const expectMessage = async (user: TgUser, pattern: RegExp, since = 0) =>
    String((await t.telegram.waitForSent((r) => String(r.chatId) === String(user.id) && pattern.test(String(r.params.text ?? "")), { since, timeoutMs: 20_000 })).params.text);
  /** Sends `text` (or presses the button labelled `label`) and waits for a reply matching `pattern`. */
  const step = async (user: TgUser, action: { say: string } | { press: RegExp }, pattern: RegExp) => {
    const since = t.telegram.sent().length;
    if ("say" in action) t.telegram.userMessage(user, action.say);
    else t.telegram.callbackQuery(user, t.button(user, action.press));
    return expectMessage(user, pattern, since);
  };
  const openMeeting = async () => {
    await step(teacher, { say: "/hop" }, /xem cuộc họp nào/);
    return step(teacher, { press: /19\/09\/2026|26\/09\/2026/ }, /muốn làm gì/);
  };

  beforeAll(async () => {
    t = await startTestApp("meet-e2e", { clock });
    const account = t.telegram.token.split(":")[0]!;
    await seedMeetingWorld(t.app.db.models, {
      account, withBoardHead: true,
      userIds: { teacher: String(teacher.id), anMom: String(anMom.id), anDad: String(anDad.id), binhMom: String(binhMom.id) },
    });
  });
  afterAll(async () => { await t?.stop(); });

  it("teacher creates → board head agrees → guardians answer → tally → reschedule → reminders only at the new time", async () => {
    // A bot can only write to people who have opened a chat with it: the families say hello first.
    for (const g of [anMom, anDad, binhMom]) await step(g, { say: "/hop" }, /chưa có cuộc họp phụ huynh nào sắp tới/);

    // The homeroom teacher creates the meeting; the date comes back in full for confirmation.
    await step(teacher, { say: "/hop" }, /tạo cuộc họp mới/);
    await step(teacher, { press: /Tạo cuộc họp mới/ }, /cuộc họp nào ạ\?/);
    await step(teacher, { press: /đầu năm học/ }, /diễn ra lúc nào/);
    expect(await step(teacher, { say: "31/02 19h" }, /không có trên lịch/)).toMatch(/28\/02 19h30/);
    expect(await step(teacher, { say: "19/9 19h30" }, /em hiểu là/)).toContain("Thứ Bảy, 19/09/2026 lúc 19:30");
    await step(teacher, { press: /^Đúng$/ }, /địa điểm/i);
    await step(teacher, { say: "Phòng học lớp 6A1" }, /nội dung chính/);
    await step(teacher, { say: "Bầu Ban đại diện CMHS; kế hoạch năm học" }, /xem lại/);
    await step(teacher, { press: /^Gửi$/ }, /Trưởng ban đại diện CMHS để thống nhất/);

    // The class board head agrees; only then do the invitations go out.
    expect(textsTo(anMom).some((x) => /Kính gửi Quý phụ huynh em/.test(x))).toBe(false);
    // The board head is a parent: addressed as Quý phụ huynh.
    await expectMessage(binhMom, /Nhà trường kính đề nghị Quý phụ huynh thống nhất nội dung/);
    await step(binhMom, { press: /^Đồng ý$/ }, /Ban đại diện đồng ý/);
    await expectMessage(teacher, /Ban đại diện CMHS đã đồng ý/);

    // Guardians answer per student; An's other guardian is told.
    await expectMessage(anMom, /Kính gửi Quý phụ huynh em Nguyễn Văn An/);
    await step(anMom, { press: /^Tham dự$/ }, /đã ghi nhận cho em Nguyễn Văn An: Tham dự/);
    await expectMessage(anDad, /phụ huynh khác của em Nguyễn Văn An đã trả lời .*: Tham dự/);
    await expectMessage(binhMom, /Kính gửi Quý phụ huynh em Trần Thị Bình/);
    await step(binhMom, { press: /^Không tham dự$/ }, /lý do không tham dự/);
    await step(binhMom, { say: "vắng có phép" }, /đã ghi nhận lý do/);

    // The tally is per student name, never a guardian's identity.
    await openMeeting();
    const tally = await step(teacher, { press: /Danh sách trả lời/ }, /Chưa trả lời/);
    expect(tally).toContain("Tham dự (1): Nguyễn Văn An");
    expect(tally).toContain("Không tham dự (1): Trần Thị Bình (vắng có phép)");
    // Châu has no guardian on the bot: never invited, so not counted as "no answer".
    expect(tally).toContain("Chưa trả lời (0): —");
    expect(tally).toContain("Chưa liên kết với bot, chưa nhận được thư mời (1): Lê Minh Châu");
    expect(tally).not.toMatch(/Hoa|Thu|Nam/);

    // Reschedule: every household is told, the reminder jobs are replaced by the next version's
    // (the board's agreement decided version 1 → 2, the reschedule 2 → 3).
    const queue = t.app.queues.get(QUEUES.meetingReminders);
    expect((await queue.getJobs(["delayed"])).map((j) => j.id).every((id) => /-v2-/.test(id!))).toBe(true);
    await openMeeting();
    await step(teacher, { press: /Đổi thời gian/ }, /thời gian mới/);
    expect(await step(teacher, { say: "26/9 19h30" }, /em hiểu là/)).toContain("Thứ Bảy, 26/09/2026 lúc 19:30");
    await step(teacher, { press: /^Đúng$/ }, /đã đổi sang/);
    for (const g of [anMom, anDad, binhMom]) await expectMessage(g, /Thời gian mới: Thứ Bảy, 26\/09\/2026 lúc 19:30/);
    // The notice says what the family answered (kept) and carries the RSVP buttons again.
    const notice = await t.telegram.waitForSent((r) => String(r.chatId) === String(binhMom.id) && /Thời gian mới/.test(String(r.params.text ?? "")));
    expect(String(notice.params.text)).toMatch(/Gia đình đã trả lời: Không tham dự\. Câu trả lời này vẫn được giữ/);
    const keyboard = (notice.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat();
    expect(keyboard.map((b) => b.text)).toEqual(["Tham dự", "Không tham dự", "Người nhà dự thay"]);
    expect(keyboard[0]!.callback_data).toMatch(/^mr-m[a-z0-9]+-.+-y$/);
    expect(await expectMessage(anDad, /Thời gian mới/)).toMatch(/Gia đình đã trả lời: Tham dự\./);

    const delayed = await queue.getJobs(["delayed"]);
    expect(delayed.map((j) => j.id).sort()).toEqual(["d1-1900", "d3-1900", "m120"].map((o) => expect.stringMatching(new RegExp(`-v3-${o}$`))));
    // Make every reminder due now (the controllable part of the delay), then wait for them.
    for (const job of delayed) await job.promote();
    const meetingId = /^mrem-(m[a-z0-9]+)-v3/.exec(delayed[0]!.id!)![1];
    await eventually(async () => (await countByStatus(t.app.db.models, "sent", `mrem-${meetingId}-v3`)) === 6,
      { timeoutMs: 15_000, message: "six reminders sent (An's two guardians × three rungs)" });

    const reminders = (u: TgUser) => textsTo(u).filter((x) => x.startsWith("Kính nhắc"));
    for (const g of [anMom, anDad]) {
      expect(reminders(g)).toHaveLength(3);
      expect(reminders(g).every((x) => x.includes("Thứ Bảy, 26/09/2026 lúc 19:30"))).toBe(true);
    }
    expect(reminders(binhMom)).toEqual([]); // declined
    expect(await queue.getJobs(["delayed", "waiting", "active"])).toEqual([]);
    expect(t.telegram.sent().some((r) => /Kính nhắc/.test(String(r.params.text)) && /19\/09\/2026/.test(String(r.params.text)))).toBe(false);
  });
});
