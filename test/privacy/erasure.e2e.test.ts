/**
 * Law 91/2025: after /xoadulieu nothing the person wrote, and none of their ids or names,
 * remains in ANY collection — not in the outbox records of messages sent to staff or to the
 * co-guardian, not in RSVPs, audit logs, facts or turns. The test scans every collection.
 */
import { describe, it, expect, afterAll, beforeAll } from "vitest";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { FakeClock } from "../support/fakes.js";
import type { TgUser } from "../support/fake-telegram.js";
import { telegramSteps } from "../support/telegram-steps.js";
import { registerConcernModels } from "../../src/store/concern-models.js";
import { seedMeetingWorld, type MeetingWorld } from "../meetings/support/meeting-fixture.js";

const teacher: TgUser = { id: 7900001, first_name: "Lan", language_code: "vi" };
const anMom: TgUser = { id: 7900002, first_name: "Xuyếnđặcbiệt", last_name: "Phạm", username: "xuyen_pham_77", language_code: "vi" };
const anDad: TgUser = { id: 7900003, first_name: "Nam", language_code: "vi" };
const principal: TgUser = { id: 7900004, first_name: "Minh", language_code: "vi" };

const PHONE = "0912 345 678";
const CONCERN = `Con bị bạn Tùng lớp 7B đòi tiền ở nhà xe mỗi sáng, xin gọi lại cho tôi số ${PHONE} ạ.`;
const CONCERN_PHRASE = "đòi tiền ở nhà xe mỗi sáng";
const REASON = "Cháu bị sốt xuất huyết nằm viện Bạch Mai";

describe("erasure leaves nothing of the person behind", () => {
  const clock = new FakeClock(new Date("2026-09-14T02:00:00Z")); // Monday 09:00 in Hà Nội
  let t: TestApp;
  let world: MeetingWorld;

  const { step, expectMessage } = telegramSteps(() => t);

  beforeAll(async () => {
    t = await startTestApp("erasure-e2e", { clock });
    const account = t.telegram.token.split(":")[0]!;
    world = await seedMeetingWorld(t.app.db.models, {
      account, userIds: { teacher: String(teacher.id), anMom: String(anMom.id), anDad: String(anDad.id) },
    });
    const m = t.app.db.models;
    const p = await m.ChannelIdentity.create({ channel: "telegram", account, externalUserId: String(principal.id), chatId: String(principal.id), locale: "vi" });
    const staff = await m.Staff.create({ schoolId: world.schoolId, fullName: "Trần Văn Minh", title: "Thầy" });
    await m.StaffRole.create({ identityId: p._id, staffId: staff._id, schoolId: world.schoolId, role: "principal" });
  });
  afterAll(async () => { await t?.stop(); });

  it("after /xoadulieu no collection holds the guardian's ids, names, phone number or words", async () => {
    for (const u of [teacher, anMom, anDad, principal]) await step(u, { say: "/hop" }, /cuộc họp/);

    // A meeting; the guardian declines with a reason; the co-guardian is told.
    await step(teacher, { press: /Tạo cuộc họp mới/ }, /cuộc họp nào ạ\?/);
    await step(teacher, { press: /đầu năm học/ }, /diễn ra lúc nào/);
    await step(teacher, { say: "19/9 19h30" }, /em hiểu là/);
    await step(teacher, { press: /^Đúng$/ }, /địa điểm/i);
    await step(teacher, { say: "Phòng học lớp 6A1" }, /nội dung chính/);
    await step(teacher, { say: "Kế hoạch năm học" }, /xem lại/);
    await step(teacher, { press: /^Gửi$/ }, /đã gửi|Đã gửi|gửi thư mời/);
    await expectMessage(anMom, /Kính gửi Quý phụ huynh em Nguyễn Văn An/);
    await step(anMom, { press: /^Không tham dự$/ }, /lý do không tham dự/);
    await step(anMom, { say: REASON }, /đã ghi nhận lý do/);
    await expectMessage(anDad, /phụ huynh khác của em Nguyễn Văn An đã trả lời/);

    // A bullying report with a phone number typed in it reaches the teacher and the principal.
    await step(anMom, { say: "/phananh" }, /chọn loại phản ánh/);
    await step(anMom, { press: /bắt nạt/ }, /viết nội dung phản ánh/);
    await step(anMom, { say: CONCERN }, /xem lại/);
    await step(anMom, { press: /^Gửi$/ }, /đã gửi phản ánh|chuyển ngay phản ánh/);
    expect(await expectMessage(teacher, /Phản ánh PA-0001/)).toContain(CONCERN_PHRASE);
    expect(await expectMessage(principal, /Phản ánh PA-0001/)).toContain(CONCERN_PHRASE);
    await step(teacher, { press: /^Trả lời$/ }, /nhập tin nhắn cho phản ánh PA-0001/);
    await step(teacher, { say: "Cô đã gặp hai em, sáng mai cô sẽ đứng ở nhà xe ạ." }, /đã chuyển tin nhắn/);
    await expectMessage(anMom, /trả lời phản ánh PA-0001/);

    // The staff received the words: before erasure the database holds them (the scan can see).
    const before = await scan();
    expect(before.some((hit) => hit.includes(CONCERN_PHRASE))).toBe(true);
    expect(before.some((hit) => hit.includes(REASON))).toBe(true);

    await step(anMom, { say: "/xoadulieu" }, /muốn xóa toàn bộ dữ liệu/);
    const done = await step(anMom, { press: /Xóa dữ liệu của tôi/ }, /đã xóa toàn bộ dữ liệu/);
    expect(done).toMatch(/hoàn tất/);

    expect(await scan()).toEqual([]);
  });

  it("a teacher's erasure leaves neither their ids nor their quiet-hours settings", async () => {
    const C = registerConcernModels(t.app.db.conn);
    await C.StaffQuietHours.create({ _id: world.identities.teacher, start: 1200, end: 420, updatedAt: new Date() });
    const needles = [world.identities.teacher, String(teacher.id)];
    expect((await scan(needles)).length).toBeGreaterThan(0);
    await step(teacher, { say: "/xoadulieu" }, /muốn xóa toàn bộ dữ liệu/);
    await step(teacher, { press: /Xóa dữ liệu của tôi/ }, /hoàn tất/);
    expect(await scan(needles)).toEqual([]);
  });

  /** Every document of every collection that names the erased person: "collection: needle". */
  async function scan(needles = [world.identities.anMom, String(anMom.id), anMom.first_name, anMom.username!, PHONE, PHONE.replace(/ /g, ""), CONCERN_PHRASE, REASON]): Promise<string[]> {
    const db = t.app.db.conn.db!;
    const hits: string[] = [];
    for (const c of await db.listCollections().toArray()) {
      for await (const doc of db.collection(c.name).find({})) {
        const text = JSON.stringify(doc);
        for (const n of needles) if (text.includes(n) || text.includes(JSON.stringify(n).slice(1, -1))) hits.push(`${c.name}: ${n} in ${text.slice(0, 300)}`);
      }
    }
    return hits;
  }
});
