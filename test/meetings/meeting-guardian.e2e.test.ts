/**
 * One meeting message per guardian (issue 12) through the Telegram Bot API: Bình's mother is
 * also Châu's guardian (both in 6A1). She gets one invitation, one nudge and one reschedule
 * notice, each naming both children, with RSVP buttons per child; each button records its own
 * child's answer, and *Cả 2 con: tham dự* records both (a guardian of both is told once). An's parents (one child) get the
 * messages exactly as before.
 */
import { describe, it, expect, afterAll, beforeAll } from "vitest";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { eventually } from "../support/eventually.js";
import { countByStatus } from "../support/deliveries.js";
import { FakeClock } from "../support/fakes.js";
import type { TgUser } from "../support/fake-telegram.js";
import { rolesOf } from "../../src/store/directory.js";
import { seedMeetingWorld, type MeetingWorld } from "./support/meeting-fixture.js";

const teacher: TgUser = { id: 7200001, first_name: "Lan", language_code: "vi" };
const anMom: TgUser = { id: 7200002, first_name: "Hoa", language_code: "vi" };
const anDad: TgUser = { id: 7200003, first_name: "Nam", language_code: "vi" };
const binhMom: TgUser = { id: 7200004, first_name: "Thu", language_code: "vi" };

type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };

describe("a guardian of two pupils gets one meeting message naming both", () => {
  // Monday 14/09/2026 09:00 in Hà Nội: nothing is held for the night.
  const clock = new FakeClock(new Date("2026-09-14T02:00:00Z"));
  let t: TestApp;
  let world: MeetingWorld;

  /** The messages to `user` whose text matches `pattern`. */
  const messagesTo = (user: TgUser, pattern: RegExp) => t.telegram.sent({ chatId: user.id }).filter((r) => pattern.test(String(r.params.text ?? "")));
  const labels = (r: { params: Record<string, unknown> }) => (r.params.reply_markup as Keyboard).inline_keyboard.map((row) => row.map((b) => b.text));
  /** Waits until every delivery of `group` was sent: `n` of them. */
  const allSent = (group: string, n: number) =>
    eventually(async () => (await countByStatus(t.app.db.models, "sent", group)) === n && (await t.app.db.models.Delivery.countDocuments({ group })) === n,
      { timeoutMs: 20_000, message: `${n} deliveries of ${group} sent` });
  const answers = async (meetingId: string) => {
    const tally = (await t.app.services.meetings.tally({ identityId: world.identities.teacher, roles: await rolesOf(t.app.db.models, world.identities.teacher) }, meetingId))!;
    return Object.fromEntries(tally.rows.map((r) => [r.studentName, r.answer]));
  };

  beforeAll(async () => {
    t = await startTestApp("meet-guardian", { clock });
    const account = t.telegram.token.split(":")[0]!;
    world = await seedMeetingWorld(t.app.db.models, {
      account, userIds: { teacher: String(teacher.id), anMom: String(anMom.id), anDad: String(anDad.id), binhMom: String(binhMom.id) },
    });
    await t.app.db.models.GuardianLink.create({ identityId: world.identities.binhMom, studentId: world.students.chau, schoolId: world.schoolId });
  });
  afterAll(async () => { await t?.stop(); });

  it("one invitation, one nudge and one reschedule notice to her, each naming both, and each child's button records that child's answer", async () => {
    // A bot can only write to people who have opened a chat with it.
    for (const g of [anMom, anDad, binhMom]) expect(await t.say(g, "/hop")).toMatch(/chưa có cuộc họp phụ huynh nào sắp tới/);
    const meetings = t.app.services.meetings;
    const organizer = { identityId: world.identities.teacher, roles: await rolesOf(t.app.db.models, world.identities.teacher) };
    const created = await meetings.create(organizer, world.classMeeting(), "ev-guardian-create");
    if (created.status !== "published") throw new Error(created.status);
    const id = created.meeting.id;
    expect(created.households).toBe(3); // households are pupils: An's, Bình's and Châu's (reached through Bình's mother)
    await allSent(`minv-${id}`, 3);
    // A replayed creation fans out again with the same keys: nobody gets a second invitation.
    expect((await meetings.create(organizer, world.classMeeting(), "ev-guardian-create")).status).toBe("published");
    expect(await t.app.db.models.Delivery.countDocuments({ group: `minv-${id}` })).toBe(3);

    // Her one invitation names both children; three buttons per child, each carrying the child's name.
    const invitations = messagesTo(binhMom, /^Kính gửi Quý phụ huynh/);
    expect(invitations).toHaveLength(1);
    expect(String(invitations[0]!.params.text)).toMatch(/^Kính gửi Quý phụ huynh các em Trần Thị Bình, Lê Minh Châu,\nNhà trường trân trọng kính mời/);
    expect(labels(invitations[0]!)).toEqual([
      ["✅ Cả 2 con: tham dự"], ["✅ Bình: tham dự"], ["❌ Bình: không tham dự"], ["👥 Bình: người nhà dự thay"],
      ["✅ Châu: tham dự"], ["❌ Châu: không tham dự"], ["👥 Châu: người nhà dự thay"],
    ]);
    // A guardian of one child: the invitation as it always read.
    for (const g of [anMom, anDad]) {
      const mine = messagesTo(g, /^Kính gửi Quý phụ huynh/);
      expect(mine).toHaveLength(1);
      expect(String(mine[0]!.params.text)).toMatch(/^Kính gửi Quý phụ huynh em Nguyễn Văn An,\nNhà trường trân trọng kính mời/);
      expect(labels(mine[0]!)).toEqual([["Tham dự"], ["Không tham dự"], ["Người nhà dự thay"]]);
    }

    // Nobody answered: one nudge to her, naming both.
    expect(await meetings.nudge(organizer, id)).toEqual({ status: "sent", households: 3 });
    await allSent(`mnud-${id}-2026-09-14`, 3);
    const nudges = messagesTo(binhMom, /chưa nhận được phản hồi/);
    expect(nudges).toHaveLength(1);
    expect(String(nudges[0]!.params.text)).toMatch(/^Kính gửi Quý phụ huynh các em Trần Thị Bình, Lê Minh Châu,/);
    expect(labels(nudges[0]!).flat()).toHaveLength(7);
    expect(String(messagesTo(anMom, /chưa nhận được phản hồi/)[0]!.params.text)).toMatch(/^Kính gửi Quý phụ huynh em Nguyễn Văn An,/);

    // Each child's button answers for that child only.
    expect(await t.press(binhMom, t.button(binhMom, /^✅ Bình: tham dự$/))).toMatch(/đã ghi nhận cho em Trần Thị Bình: Tham dự/);
    expect(await answers(id)).toEqual({ "Nguyễn Văn An": "none", "Trần Thị Bình": "yes", "Lê Minh Châu": "none" });
    expect(await t.press(binhMom, t.button(binhMom, /^❌ Châu: không tham dự$/))).toMatch(/đã ghi nhận cho em Lê Minh Châu: Không tham dự[\s\S]*lý do không tham dự/);
    expect(await t.say(binhMom, "bỏ qua")).toMatch(/cảm ơn/);
    expect(await answers(id)).toEqual({ "Nguyễn Văn An": "none", "Trần Thị Bình": "yes", "Lê Minh Châu": "no" });

    // A reschedule: one notice to her with each child's answer so far, and the buttons again.
    expect(await meetings.reschedule(organizer, id, new Date("2026-09-26T12:30:00Z"))).toMatchObject({ status: "ok", households: 3 });
    await allSent(`mchg-${id}-v2`, 3);
    const notices = messagesTo(binhMom, /Thời gian mới/);
    expect(notices).toHaveLength(1);
    expect(String(notices[0]!.params.text)).toMatch(
      /^Kính gửi Quý phụ huynh các em Trần Thị Bình, Lê Minh Châu, .*\nThời gian mới: Thứ Bảy, 26\/09\/2026 lúc 19:30\n.*Câu trả lời của gia đình đến nay:\n• Em Trần Thị Bình: Tham dự\n• Em Lê Minh Châu: Không tham dự\n/s);
    expect(labels(notices[0]!).flat()).toHaveLength(7);
    const anNotice = messagesTo(anMom, /Thời gian mới/);
    expect(anNotice).toHaveLength(1);
    expect(String(anNotice[0]!.params.text)).toMatch(/^Kính gửi Quý phụ huynh em Nguyễn Văn An, .*Quý phụ huynh vui lòng cho biết có tham dự không ạ\.$/s);
    expect(labels(anNotice[0]!)).toEqual([["Tham dự"], ["Không tham dự"], ["Người nhà dự thay"]]);

    // From the notice, she changes Châu's answer; Bình's stays.
    expect(await t.press(binhMom, t.button(binhMom, /^👥 Châu: người nhà dự thay$/))).toMatch(/đã ghi nhận cho em Lê Minh Châu: Người khác trong gia đình dự/);
    expect(await answers(id)).toEqual({ "Nguyễn Văn An": "none", "Trần Thị Bình": "yes", "Lê Minh Châu": "other" });

    // One press for both: each child's answer is recorded (per pupil) as attending, and a
    // guardian of both (An's father, now also theirs) is told once, in one message naming both.
    for (const studentId of [world.students.binh, world.students.chau])
      await t.app.db.models.GuardianLink.create({ identityId: world.identities.anDad, studentId, schoolId: world.schoolId });
    expect(await t.press(binhMom, t.button(binhMom, /^✅ Cả 2 con: tham dự$/))).toMatch(/đã ghi nhận cho các em (Trần Thị Bình, Lê Minh Châu|Lê Minh Châu, Trần Thị Bình): Tham dự/);
    await allSent(`mra-${id}`, 1);
    const told = messagesTo(anDad, /một phụ huynh khác/);
    expect(told).toHaveLength(1);
    expect(String(told[0]!.params.text)).toMatch(
      /^Dạ, một phụ huynh khác đã trả lời thư mời Họp phụ huynh .*\(.*\) cho các em (Trần Thị Bình, Lê Minh Châu|Lê Minh Châu, Trần Thị Bình): Tham dự\.$/);
    expect(await answers(id)).toEqual({ "Nguyễn Văn An": "none", "Trần Thị Bình": "yes", "Lê Minh Châu": "yes" });
    const facts = await t.app.db.conn.collection("meeting_rsvps").find({ meetingId: id, studentId: world.students.chau }).sort({ seq: 1 }).toArray();
    expect(facts.map((f) => f.answer)).toEqual(["no", "other", "yes"]);
  });
});
