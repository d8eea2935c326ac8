/**
 * Issue 12's "done": the same story, end to end, on Telegram, the Zalo Bot and the Zalo OA.
 * Real HTTP webhooks into the real app, the real BullMQ outbox, the real MongoDB-compatible
 * server and Redis; only the messengers are fakes speaking their real HTTP APIs
 * (test/support/channel-driver.ts). The demo school: Cô Lan is homeroom teacher of 6A1.
 *
 * A guardian links with an invite code and consents → Cô Lan (on the same channel) sends a
 * notice asking for confirmation → the guardian gets it and answers «Đã xem» → Cô Lan creates a
 * meeting → the guardian answers «Tham dự» (a button, or its number on the Zalo Bot) → the
 * guardian raises a concern → Cô Lan replies → the guardian gets the reply; Cô Lan's notice
 * report counts the confirmation, the meeting's list the RSVP. A 6A2 guardian gets none of it.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import { startChannel, type ChannelDriver, type ChannelKind, type ChatUser } from "../support/channel-driver.js";

const CHANNELS: ChannelKind[] = ["telegram", "zalo-bot", "zalo-oa"];
/** What pressing «Đã xem» sends: a callback query, a typed number, an OA `#payload` button's text. */
const SEEN_CHOICE: Record<ChannelKind, RegExp> = { telegram: /^na-/, "zalo-bot": /^\d$/, "zalo-oa": /^#na-/ };
/** What pressing «Tham dự» sends (the three answers' labels fit an OA button title, ≤ 20 characters). */
const RSVP_CHOICE: Record<ChannelKind, RegExp> = { telegram: /^mr-m[a-z0-9]+-.+-y$/, "zalo-bot": /^1$/, "zalo-oa": /^#mr-m[a-z0-9]+-.+-y$/ };

describe.each(CHANNELS)("the school story on %s", (kind) => {
  let d: ChannelDriver;
  let demo: DemoSeed;
  let teacher: ChatUser, guardian: ChatUser, other: ChatUser;
  let an: string;
  const notice = "Kính gửi Quý phụ huynh: thứ Sáu 09/10 lớp 6A1 nghỉ học để trường tổ chức hội thao.";
  const concern = "Con về kể bị trừ điểm kiểm tra 15 phút môn Toán mà không rõ lý do ạ.";
  const answer = "Cô đã xem lại bài, con làm sai câu 3 ạ.";

  beforeAll(async () => {
    d = await startChannel(kind, `channels-${kind}`);
    demo = await seedDemo(d.app.db.models, { ttlDays: 30 });
    teacher = d.user("Lan", 1);
    guardian = d.user("Hoa", 2);
    other = d.user("Quốc", 3);
  }, 60_000);
  afterAll(async () => { await d?.stop(); });

  it("links a guardian of 6A1 (and one of 6A2) by invitation code with consent, and Cô Lan", async () => {
    const code = demo.codes.guardians.find((c) => c.className === "6A1")!;
    an = code.subject;
    const found = await d.send(guardian, d.linkText(code.code));
    expect(found).toContain(an);
    expect(found).toContain("Quý vị có đồng ý không?");
    expect(await d.press(guardian, /^Tôi đồng ý$/)).toContain("liên kết thành công");

    const bao = demo.codes.guardians.find((c) => c.className === "6A2")!;
    await d.send(other, d.linkText(bao.code));
    expect(await d.press(other, /^Tôi đồng ý$/)).toContain("liên kết thành công");

    await d.send(teacher, d.linkText(demo.codes.homeroomTeacher.code));
    expect(await d.press(teacher, /^Tôi đồng ý$/)).toContain("Kính chào Cô!");
    const identities = await d.app.db.models.ChannelIdentity.find({ channel: kind }).lean();
    expect(identities.map((i) => i.externalUserId).sort()).toEqual([teacher.id, guardian.id, other.id].sort());
  }, 60_000);

  it("Cô Lan sends a notice needing confirmation; the 6A1 guardian gets it once and answers «Đã xem»", async () => {
    expect(await d.send(teacher, "/thongbao")).toMatch(/soạn thông báo mới/);
    expect(await d.press(teacher, /Soạn thông báo mới/)).toMatch(/nội dung thông báo/);
    expect(await d.send(teacher, notice)).toMatch(/đính kèm ảnh hoặc tệp/);
    expect(await d.press(teacher, /^Bỏ qua$/)).toMatch(/loại nào/);
    expect(await d.press(teacher, /Cần xác nhận/)).toMatch(/hạn xác nhận là lúc nào/);
    expect(await d.send(teacher, "8/10 17h")).toMatch(/gửi ngay hay hẹn giờ/);
    expect(await d.press(teacher, /^Gửi ngay$/)).toMatch(/xác nhận gửi/);
    const since = d.mark();
    expect(await d.press(teacher, /^Gửi$/)).toMatch(/đang gửi thông báo/);

    const got = await d.nextMessage(guardian, /THÔNG BÁO/, since);
    expect(got.text).toMatch(/^📢 THÔNG BÁO\nKính gửi: Quý phụ huynh học sinh lớp 6A1\n/);
    expect(got.text).toContain(notice);
    expect(got.text).toContain("trước Thứ Năm, 08/10/2026 lúc 17:00");
    expect(got.text).toMatch(/Cô Nguyễn Thị Lan — GVCN lớp 6A1/);
    // A button where the channel has them; on the Zalo Bot, a numbered line answered by its number.
    const seen = got.choices.find((c) => /Đã xem/.test(c.label))!;
    expect(seen.value).toMatch(SEEN_CHOICE[kind]);
    const thanks = await d.press(guardian, /Đã xem/);
    expect(thanks).toMatch(/đã xem thông báo|đã được xác nhận/);
    expect(thanks).toContain(an);
  }, 60_000);

  it("Cô Lan creates a meeting (no board head yet: invitations go at once); the guardian answers «Tham dự»", async () => {
    expect(await d.send(teacher, "/hop")).toMatch(/tạo cuộc họp mới/);
    expect(await d.press(teacher, /Tạo cuộc họp mới/)).toMatch(/cuộc họp nào ạ\?/);
    expect(await d.press(teacher, /đầu năm học/)).toMatch(/diễn ra lúc nào/);
    expect(await d.send(teacher, "10/10 19h30")).toContain("Thứ Bảy, 10/10/2026 lúc 19:30");
    expect(await d.press(teacher, /^Đúng$/)).toMatch(/địa điểm/i);
    expect(await d.send(teacher, "Phòng học lớp 6A1")).toMatch(/nội dung chính/);
    expect(await d.send(teacher, "Bầu Ban đại diện CMHS; kế hoạch năm học")).toMatch(/xem lại/);
    const since = d.mark();
    const sent = await d.press(teacher, /^Gửi$/);
    expect(sent).toContain("lớp 6A1 chưa có Trưởng ban đại diện CMHS nên em đã gửi thư mời ngay");
    expect(sent).toContain("Thư mời tới 1 gia đình ạ.");

    const invitation = await d.nextMessage(guardian, new RegExp(`^Kính gửi Quý phụ huynh em ${an},`), since);
    expect(invitation.text).toContain("Nhà trường trân trọng kính mời Quý phụ huynh dự Họp phụ huynh đầu năm học lớp 6A1.");
    expect(invitation.text).toContain("Thời gian: Thứ Bảy, 10/10/2026 lúc 19:30");
    expect(invitation.text).toContain("Địa điểm: Phòng học lớp 6A1");
    expect(invitation.choices.map((c) => c.label)).toEqual(["Tham dự", "Không tham dự", "Người nhà dự thay"]);
    expect(invitation.choices[0]!.value).toMatch(RSVP_CHOICE[kind]);
    expect(await d.press(guardian, /^Tham dự$/)).toContain(`đã ghi nhận cho em ${an}: Tham dự`);
  }, 60_000);

  it("the guardian raises a concern; Cô Lan gets it, replies, and the guardian gets the reply", async () => {
    let reply = await d.send(guardian, "/phananh");
    if (/gửi phản ánh mới hay xem/.test(reply)) reply = await d.press(guardian, /Gửi phản ánh mới/);
    expect(reply).toMatch(/chọn loại phản ánh/);
    expect(await d.press(guardian, /^Học tập$/)).toMatch(/viết nội dung phản ánh/);
    expect(await d.send(guardian, concern)).toMatch(/xem lại/);
    const since = d.mark();
    const created = await d.press(guardian, /^Gửi$/);
    expect(created).toMatch(/đã gửi phản ánh PA-\d+ tới giáo viên chủ nhiệm/);
    const number = /PA-\d+/.exec(created)![0];

    const ticket = await d.nextMessage(teacher, new RegExp(`^Phản ánh ${number} — Học tập`), since);
    expect(ticket.text).toContain(`Phụ huynh em ${an}, lớp 6A1:\n${concern}`);
    expect(ticket.text).toContain("Đề nghị Cô phản hồi trước");
    expect(await d.press(teacher, /^Trả lời$/)).toContain(`nhập tin nhắn cho phản ánh ${number}`);
    const back = d.mark();
    expect(await d.send(teacher, answer)).toMatch(/đã chuyển tin nhắn/);
    const got = await d.nextMessage(guardian, new RegExp(`trả lời phản ánh ${number}`), back);
    // (On the Zalo Bot its two follow-up choices come after a blank line, as a numbered list.)
    expect(got.text.split("\n\n")[0]).toBe(`Dạ, Giáo viên chủ nhiệm trả lời phản ánh ${number} (em ${an}):\n${answer}`);
  }, 60_000);

  it("Cô Lan's reports show the confirmation and the RSVP; each person got exactly their messages", async () => {
    expect(await d.send(teacher, "/thongbao")).toMatch(/soạn thông báo mới/);
    const report = await d.press(teacher, /Cần xác nhận · đã gửi/);
    expect(report).toContain("📊 Báo cáo thông báo (Cần xác nhận, lớp 6A1, đã gửi: Thứ Hai, 05/10/2026 lúc 10:00)");
    expect(report).toContain("Số hộ (học sinh): 5");
    expect(report).toContain("✅ Đã nhận: 1");
    expect(report).toContain("🔗 Chưa liên kết với bot: 4 — Trần Thị Bình, Lê Minh Châu, Phạm Gia Huy, Võ Ngọc Lan");
    expect(report).toContain(`👁 Đã xác nhận: 1 — ${an}`);
    expect(report).toContain("❔ Đã nhận, chưa xác nhận: 0 — —");
    if (kind === "zalo-oa") expect(report).toContain("📨 Zalo OA: miễn phí 1 · tính phí 0");
    else expect(report).not.toContain("Zalo OA");
    await d.press(teacher, /^Xong$/);

    expect(await d.send(teacher, "/hop")).toMatch(/xem cuộc họp nào/);
    expect(await d.press(teacher, /10\/10\/2026 lúc 19:30/)).toContain("Tham dự: 1 · Không tham dự: 0 · Người khác dự: 0 · Chưa trả lời: 0 · Chưa liên lạc được: 4");
    const tally = await d.press(teacher, /^Danh sách trả lời$/);
    expect(tally).toContain(`Tham dự (1): ${an}`);
    expect(tally).toContain("Không tham dự (0): —");
    expect(tally).toContain("Chưa trả lời (0): —");
    expect(tally).toContain("Chưa liên kết với bot, chưa nhận được thư mời (4): Trần Thị Bình, Lê Minh Châu, Phạm Gia Huy, Võ Ngọc Lan");

    // Who received what: the 6A1 guardian one notice, one invitation, one reply; the 6A2 guardian
    // none of them; the teacher the notice once (its preview, before sending) and one ticket.
    const count = (u: ChatUser, pattern: RegExp) => d.messagesOf(u).filter((m) => pattern.test(m.text)).length;
    const kinds = { notice: new RegExp(notice.slice(0, 40)), invitation: /kính mời Quý phụ huynh dự Họp phụ huynh/, reply: /Giáo viên chủ nhiệm trả lời phản ánh/, ticket: /^Phản ánh PA-\d+ — / };
    expect(Object.values(kinds).map((p) => count(guardian, p))).toEqual([1, 1, 1, 0]);
    expect(Object.values(kinds).map((p) => count(other, p))).toEqual([0, 0, 0, 0]);
    expect(Object.values(kinds).map((p) => count(teacher, p))).toEqual([1, 0, 0, 1]);
    // Where choices came as a numbered list, no message of the story asked anyone to press buttons.
    const lists = [teacher, guardian, other].flatMap((u) => d.messagesOf(u)).filter((m) => /Trả lời bằng số/.test(m.text));
    expect(lists.length > 0).toBe(kind !== "telegram");
    expect(lists.filter((m) => /\bnút\b/.test(m.text)).map((m) => m.text)).toEqual([]);
  }, 60_000);
});
