import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createHash } from "node:crypto";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { FakeClock } from "../support/fakes.js";
import { eventually } from "../support/eventually.js";
import type { TgUser } from "../support/fake-telegram.js";
import { seedSchool, type SeededSchool } from "./seed.js";
import { POLL_DEADLINES_QUEUE, deadlineJobId } from "../../src/jobs/poll-deadlines.js";

const user = (id: number, first_name: string): TgUser => ({ id, first_name, language_code: "vi" });
const mom = user(7001, "Mẹ An"), dad = user(7002, "Bố An"), lan = user(7003, "Lan"), board = user(7004, "Trưởng ban");

describe("quick polls and opinion rounds through the fake Bot API", () => {
  const clock = new FakeClock(new Date("2026-12-01T02:00:00Z"));
  let t: TestApp;
  let school: SeededSchool;

  beforeAll(async () => {
    t = await startTestApp("polls-e2e", { clock });
    // Guardians who linked have started the bot: their private chats exist.
    for (const u of [mom, dad, lan, board]) t.telegram.knownChat(u.id, { first_name: u.first_name });
    school = await seedSchool(t.app.db.models, {
      account: t.app.telegram!.account, studentNames: ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu"],
      guardians: { [mom.id]: [0], [dad.id]: [0], [lan.id]: [1, 2] }, boardUser: String(board.id),
    });
  });
  afterAll(async () => { await t?.stop(); });

  const texts = (u: TgUser, since = 0) => t.telegram.sent({ chatId: u.id }).filter((r) => r.index >= since).map((r) => String(r.params.text ?? ""));
  const model = (name: string) => t.app.db.conn.model(name);

  /**
   * Nothing in the opinion collections joins an anonymous opinion to the inbound records of the
   * guardian who wrote it: no id derived from an event id, no chat, identity or student, and the
   * inbound records no longer hold the text.
   */
  const expectUnlinkable = async (u: TgUser, text: string) => {
    const opinion = (await model("Opinion").findOne({ text }).lean()) as unknown as Record<string, unknown> & { _id: string; roundId: string; at: Date };
    expect(opinion).toMatchObject({ anonymous: true, studentId: "", authorIdentityId: "" });
    const inbound = (await t.app.db.models.ProcessedEvent.find({ chatKey: { $regex: String(u.id) } }).lean());
    expect(inbound.length).toBeGreaterThan(0);
    const suffix = opinion._id.slice(opinion.roundId.length + 1);
    const identity = (await t.app.db.models.ChannelIdentity.findOne({ externalUserId: String(u.id) }).lean())!;
    const stored = JSON.stringify(await model("Opinion").find({ roundId: opinion.roundId }).lean()) + JSON.stringify(await model("OpinionParticipant").find({ roundId: opinion.roundId }).lean());
    for (const e of inbound) {
      expect(createHash("sha256").update(e._id).digest("hex")).not.toContain(suffix.slice(0, 12));
      expect(stored).not.toContain(e._id);
      expect(JSON.stringify(e)).not.toContain(text);
    }
    for (const secret of [String(u.id), identity._id, ...school.students.map((st) => st.id)]) expect(JSON.stringify(opinion)).not.toContain(secret);
    expect(new Date(opinion.at).getTime() % 3_600_000).toBe(0);
  };

  it("a poll: ballots to every household, concurrent votes of two guardians count once, vote change, auto-close and result", async () => {
    expect(school.students).toHaveLength(3);
    expect(await t.say(board, "/bieuquyet")).toMatch(/muốn làm gì/);
    expect(await t.say(board, "Tạo biểu quyết mới")).toMatch(/câu hỏi/);
    expect(await t.say(board, "Chọn ngày dã ngoại học kỳ II?")).toMatch(/mỗi dòng một phương án/);
    expect(await t.say(board, "Thứ Bảy 10/1\nChủ Nhật 11/1")).toMatch(/một hay nhiều/);
    expect(await t.say(board, "1")).toMatch(/ẩn danh/);
    expect(await t.say(board, "1")).toMatch(/hạn chót/i);
    expect(await t.say(board, "20/12 17h")).toMatch(/xem trước[\s\S]*Chủ Nhật, 20\/12\/2026 lúc 17:00/);
    const since = t.telegram.sent().length;
    expect(await t.say(board, "Gửi")).toMatch(/3\/3 hộ gia đình/);

    // Four ballots: An's two guardians, and Lan once per child.
    await eventually(() => texts(mom, since).some((x) => /Kính gửi Quý phụ huynh em Nguyễn Văn An/.test(x)), { message: "mom's ballot" });
    await eventually(() => texts(dad, since).some((x) => /Nguyễn Văn An/.test(x)), { message: "dad's ballot" });
    await eventually(() => texts(lan, since).filter((x) => /Kính gửi Quý phụ huynh em/.test(x)).length === 2, { message: "Lan's two ballots" });
    const pollDoc = (await model("Poll").findOne({}).lean()) as unknown as { _id: string };

    // Both of An's guardians press at the same moment: one household, one vote.
    const [momReply, dadReply] = await Promise.all([t.press(mom, t.button(mom, /Thứ Bảy/)), t.press(dad, t.button(dad, /Chủ Nhật/))]);
    expect(momReply).toMatch(/đã ghi nhận lựa chọn cho em Nguyễn Văn An/);
    expect(dadReply).toMatch(/đã ghi nhận lựa chọn cho em Nguyễn Văn An/);
    expect(await model("PollVote").countDocuments({ pollId: pollDoc._id })).toBe(1);

    // A change of mind replaces the household's vote.
    expect(await t.press(mom, t.button(mom, /Chủ Nhật/))).toMatch(/Chủ Nhật 11\/1/);
    expect(await t.press(lan, t.button(lan, /Thứ Bảy/))).toMatch(/ghi nhận/);
    expect(await model("PollVote").countDocuments({ pollId: pollDoc._id })).toBe(2);

    // The organizer's live tally and turnout.
    await t.say(board, "/bieuquyet");
    expect(await t.say(board, "2")).toMatch(/muốn xem biểu quyết nào/);
    const tally = await t.press(board, t.button(board, /Chọn ngày dã ngoại/));
    expect(tally).toMatch(/1\. Thứ Bảy 10\/1: 1\n2\. Chủ Nhật 11\/1: 1/);
    expect(tally).toMatch(/Đã biểu quyết: 2\/3 hộ/);
    expect(await t.press(board, t.button(board, /^Xong$/))).toMatch(/gõ \/menu/);

    // The deadline passes: the delayed job closes the poll and every household gets the result.
    clock.set(new Date("2026-12-20T10:00:30Z"));
    const beforeClose = t.telegram.sent().length;
    const job = await t.app.queues.get(POLL_DEADLINES_QUEUE).getJob(deadlineJobId("poll", pollDoc._id));
    expect(job).toBeDefined();
    await job!.promote();
    for (const u of [mom, dad, lan, board])
      await eventually(() => texts(u, beforeClose).some((x) => /Kết quả biểu quyết lớp 6A1[\s\S]*Chủ Nhật 11\/1: 1[\s\S]*Số hộ đã biểu quyết: 2\/3/.test(x)), { message: `result to ${u.id}` });
    expect(texts(lan, beforeClose).filter((x) => /Kết quả biểu quyết/.test(x))).toHaveLength(1);

    // A vote after the deadline is refused politely and changes nothing.
    expect(await t.press(dad, t.button(dad, /Thứ Bảy/))).toMatch(/đã kết thúc .* không ghi nhận thêm/);
    expect(await model("PollVote").countDocuments({ pollId: pollDoc._id })).toBe(2);
  });

  it("an opinion round: invitations, anonymous and named opinions, the organizer's list and CSV export, the summary at close", async () => {
    clock.set(new Date("2026-12-21T02:00:00Z"));
    expect(await t.say(board, "/gopy")).toMatch(/muốn làm gì/);
    const topicPrompt = await t.say(board, "Mở đợt góp ý mới");
    // The board head is a parent (Quý phụ huynh), and the example topic is typed back as it is.
    expect(topicPrompt).toMatch(/Quý phụ huynh vui lòng nhập chủ đề lấy ý kiến \(ví dụ: "Kế hoạch dã ngoại học kỳ II"\)/);
    expect(await t.say(board, "Kế hoạch dã ngoại học kỳ II")).toMatch(/hạn chót/i);
    expect(await t.say(board, "28/12 17h")).toMatch(/Lấy ý kiến lớp 6A1: Kế hoạch dã ngoại/);
    const since = t.telegram.sent().length;
    expect(await t.say(board, "Gửi")).toMatch(/3\/3 hộ gia đình/);
    await eventually(() => texts(mom, since).some((x) => /Kính mời Quý phụ huynh lớp 6A1 đóng góp ý kiến\.\nChủ đề: Kế hoạch dã ngoại học kỳ II\n/.test(x)), { message: "mom's invitation" });
    await eventually(() => texts(lan, since).some((x) => /Kính mời/.test(x)), { message: "Lan's invitation" });

    expect(await t.press(mom, t.button(mom, /Gửi góp ý/))).toMatch(/mời Quý phụ huynh nhập ý kiến/);
    // A choice number typed here is no opinion: asked again, nothing kept.
    expect(await t.say(mom, "1")).toMatch(/ý kiến hơi ngắn/);
    expect(await t.say(mom, "Nên chọn điểm gần trường, đi về trong ngày.")).toMatch(/ghi tên hay ẩn danh/);
    expect(await t.say(mom, "Ẩn danh")).toMatch(/đã ghi nhận ý kiến \(ẩn danh\)/);
    await expectUnlinkable(mom, "Nên chọn điểm gần trường, đi về trong ngày.");

    expect(await t.press(lan, t.button(lan, /Gửi góp ý/))).toMatch(/phụ huynh của em nào/);
    expect(await t.say(lan, "Lê Minh Châu")).toMatch(/nhập ý kiến/);
    expect(await t.say(lan, "Đề nghị có thêm giáo viên đi kèm.")).toMatch(/ghi tên hay ẩn danh/);
    expect(await t.say(lan, "1")).toMatch(/đã ghi nhận ý kiến của Quý phụ huynh/);

    await t.say(board, "/gopy");
    await t.say(board, "Đợt góp ý đã mở (đọc ý kiến)");
    const list = await t.press(board, t.button(board, /Kế hoạch dã ngoại/));
    expect(list).toMatch(/2 ý kiến/);
    expect(list).toMatch(/\[—\] Nên chọn điểm gần trường/);
    expect(list).toMatch(/\[Lê Minh Châu\] Đề nghị có thêm giáo viên/);
    const csv = await t.press(board, t.button(board, /Xuất CSV/));
    expect(csv).toMatch(/stt,thoi_gian,ho_gia_dinh,y_kien/);
    expect(csv).toMatch(/1,21\/12\/2026 09:00,,"?Nên chọn điểm gần trường, đi về trong ngày\."?/);
    expect(csv).toMatch(/2,21\/12\/2026 09:00,Phụ huynh em Lê Minh Châu,Đề nghị có thêm giáo viên đi kèm\./);

    const beforeClose = t.telegram.sent().length;
    expect(await t.press(board, t.button(board, /Kết thúc đợt góp ý/))).toMatch(/2 ý kiến từ 2 hộ gia đình \(1 ghi tên, 1 ẩn danh\)/);
    for (const u of [mom, lan])
      await eventually(() => texts(u, beforeClose).some((x) => /Đợt góp ý lớp 6A1 .* đã kết thúc: 2 ý kiến/.test(x)), { message: `summary to ${u.id}` });
    expect(texts(dad, beforeClose).some((x) => /Đợt góp ý/.test(x))).toBe(false);
    expect(await t.press(mom, t.button(mom, /Gửi góp ý/))).toMatch(/đã kết thúc/);
  });
});
