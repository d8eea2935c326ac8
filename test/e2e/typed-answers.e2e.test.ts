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

  const received = (user: TgUser, pattern: RegExp, since = 0) =>
    eventually(() => t.telegram.sent({ chatId: user.id }).some((r) => r.index >= since && pattern.test(String(r.params.text ?? ""))), { message: `no ${pattern} to ${user.first_name}` });

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

  it("«đã xem» or «tham dự ạ» typed under another message brings the notice or the invitation again, with its buttons; typed under it, it presses it", async () => {
    for (const answer of ["/thongbao", "1", "Kính gửi Quý phụ huynh, thứ Sáu lớp nghỉ học.", "khong", "2", "thu 6 17h", "gui ngay", "gui"]) await t.say(lan, answer);
    await received(hoa, /THÔNG BÁO/);
    for (const answer of ["/hop", "1", "1", "10/10 19h30", "dung", "Phòng học lớp 6A1", "Bầu Ban đại diện CMHS", "gui"]) await t.say(lan, answer);
    await received(hoa, /kính mời Quý phụ huynh dự Họp phụ huynh/);

    // Typed under the invitation, the last message with buttons, «tham dự ạ» is its button.
    expect(await t.say(hoa, "tham du a")).toContain("Nguyễn Văn An: Tham dự");
    // «Đã xem» is none of the invitation's buttons: the notice comes again, with its button.
    const seen = await t.say(hoa, "Đã xem ạ.");
    expect(seen).toContain("vui lòng chọn «Đã xem» ngay dưới thông báo");
    expect(seen).toContain("thứ Sáu lớp nghỉ học");
    // Under the notice shown again, the same words are its button.
    expect(await t.say(hoa, "da xem")).toMatch(/đã ghi nhận .*Nguyễn Văn An/);
    // And «tham dự» under the notice brings the invitation again.
    const rsvp = await t.say(hoa, "tham du a");
    expect(rsvp).toContain("vui lòng chọn câu trả lời ngay dưới thư mời");
    expect(rsvp).toContain("Họp phụ huynh đầu năm học lớp 6A1 — em Nguyễn Văn An");
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
  it("a concern's category can be typed as its number or its words; a concern that starts with a category's word stays the concern", async () => {
    expect(await t.say(hoa, "/phananh")).toMatch(/chọn loại phản ánh/);
    expect(await t.say(hoa, "suc khoe")).toMatch(/viết nội dung phản ánh/);
    await t.say(hoa, "/huy");
    await t.say(hoa, "/phananh");
    const concern = "Học tập của con dạo này sa sút, nhờ cô quan tâm giúp ạ.";
    expect(await t.say(hoa, concern)).toContain("em đã ghi lại nội dung phản ánh này");
    const review = await t.say(hoa, "hoc tap");
    expect(review).toContain("Loại: Học tập");
    expect(review).toContain(`Nội dung: ${concern}`);
    await t.say(hoa, "/huy");
    await t.say(hoa, "/phananh");
    expect(await t.say(hoa, "2")).toMatch(/viết nội dung phản ánh/);
    expect(await t.say(hoa, "Con bị sốt từ tối qua, xin phép cho con nghỉ học hôm nay ạ.")).toContain("Loại: Sức khỏe");
    expect(await t.say(hoa, "gui")).toMatch(/đã gửi phản ánh PA-\d+/);
  });

  it("the homeroom teacher types the number or the words of a button under the concern sent to them, or under the /phananh list", async () => {
    await received(lan, /Phản ánh PA-\d+ — Sức khỏe/);
    expect(await t.say(lan, "1")).toMatch(/đã báo phụ huynh là Cô đã nhận phản ánh/);
    await received(hoa, /Cô Lan đã nhận phản ánh/);
    // «Trả lời» opens the message step for that ticket, as its button does.
    expect(await t.say(lan, "tra loi")).toMatch(/nhập tin nhắn cho phản ánh/);
    expect(await t.say(lan, "/huy")).toMatch(/đã hủy thao tác/);
    // The /phananh list: the number of a ticket opens it.
    expect(await t.say(lan, "/phananh")).toMatch(/1 phản ánh đang mở/);
    expect(await t.say(lan, "1")).toMatch(/Trạng thái: Đã tiếp nhận/);
  });

  const votesOn = async (question: string) => {
    const poll = (await t.app.db.conn.model("Poll").findOne({ question }).lean()) as unknown as { _id: string };
    return ((await t.app.db.conn.model("PollVote").find({ pollId: poll._id }).lean()) as unknown as { chosen?: number[] }[]).map((v) => v.chosen);
  };
  const createPoll = async (question: string, options: string, deadline: string) => {
    for (const answer of ["/bieuquyet", "Tạo biểu quyết mới", question, options, "1", "1", deadline]) await t.say(lan, answer);
    expect(await t.say(lan, "gui")).toMatch(/hộ gia đình/);
  };

  it("a guardian types the number or the words of an option under a poll's ballot: one vote, through the vote's use case", async () => {
    const since = t.telegram.sent().length;
    await createPoll("Chọn ngày dã ngoại học kỳ I?", "Thứ Bảy 10/10\nChủ Nhật 11/10", "30/9 17h");
    await received(hoa, /Chọn ngày dã ngoại học kỳ I\?/, since);
    expect(await t.say(hoa, "1")).toMatch(/đã ghi nhận lựa chọn cho em Nguyễn Văn An: Thứ Bảy 10\/10/);
    expect(await t.say(hoa, "1.")).toMatch(/Thứ Bảy 10\/10/);
    expect(await votesOn("Chọn ngày dã ngoại học kỳ I?")).toEqual([[0]]);
    expect(await t.say(hoa, "chu nhat a")).toMatch(/đã ghi nhận lựa chọn cho em Nguyễn Văn An: Chủ Nhật 11\/10/);
    expect(await votesOn("Chọn ngày dã ngoại học kỳ I?")).toEqual([[1]]);
  });

  it("a step in progress reads its own answer, only the last message with buttons counts, and /bieuquyet shows the ballots to answer again", async () => {
    // Hoa is writing a concern when a ballot arrives: her "1" is the concern's text (too short), not a vote.
    await t.say(hoa, "/phananh");
    await t.say(hoa, "moi");
    expect(await t.say(hoa, "1")).toMatch(/viết nội dung phản ánh/);
    const since = t.telegram.sent().length;
    await createPoll("Chọn màu áo lớp?", "Xanh\nĐỏ", "1/10 17h");
    await received(hoa, /Chọn màu áo lớp\?/, since);
    expect(await t.say(hoa, "1")).toMatch(/hơi ngắn/);
    await t.say(hoa, "/huy");
    // The concern step was asked again under the ballot, with its ✖ Hủy: the ballot is no longer the last message with buttons.
    expect(await t.say(hoa, "1")).toContain("em chưa hiểu tin nhắn này");
    expect(await votesOn("Chọn màu áo lớp?")).toEqual([]);

    // The open ballots, the latest deadline last: a number typed under the last one is its vote.
    expect(await t.say(hoa, "/bieuquyet")).toMatch(/Chọn ngày dã ngoại[\s\S]*Chọn màu áo lớp/);
    expect(await t.say(hoa, "2")).toMatch(/đã ghi nhận lựa chọn cho em Nguyễn Văn An: Đỏ/);
    expect(await votesOn("Chọn màu áo lớp?")).toEqual([[1]]);
    expect(await votesOn("Chọn ngày dã ngoại học kỳ I?")).toEqual([[1]]);
  });

  it("a number typed under buttons sent over a week ago is not read as one of them", async () => {
    clock.set(new Date("2026-09-22T09:05:00+07:00"));
    expect(await t.say(hoa, "1")).toContain("em chưa hiểu tin nhắn này");
    expect(await votesOn("Chọn màu áo lớp?")).toEqual([[1]]);
  });
});
