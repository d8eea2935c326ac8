import { describe, it, expect } from "vitest";
import { eventually } from "../support/eventually.js";
import { FakeClock } from "../support/fakes.js";
import type { TgUser } from "../support/fake-telegram.js";
import { textOf } from "../support/telegram-steps.js";
import { registerConcernModels } from "../../src/store/concern-models.js";
import { useConcernApp } from "./support/concern-app.js";

const teacher: TgUser = { id: 7400001, first_name: "Lan", language_code: "vi" };
const otherTeacher: TgUser = { id: 7400002, first_name: "Ha", language_code: "vi" };
const principal: TgUser = { id: 7400003, first_name: "Minh", language_code: "vi" };
const anMom: TgUser = { id: 7400004, first_name: "Hoa", last_name: "Nguyen", username: "hoa_nguyen_0912", language_code: "vi" };
const binhMom: TgUser = { id: 7400005, first_name: "Thu", language_code: "vi" };

const hn = (local: string) => new Date(`${local}+07:00`);

describe("concerns end to end through the Telegram Bot API", () => {
  const clock = new FakeClock(hn("2026-09-14T09:00:00"));
  const { t, world, step, expectMessage } = useConcernApp("concern-e2e", clock, { teacher, otherTeacher, principal, anMom, binhMom });
  const textsTo = (user: TgUser) => t.telegram.sent({ chatId: user.id }).map(textOf);

  it("guardian raises → teacher acknowledges and answers → guardian replies → resolved → rated", async () => {
    await step(anMom, { say: "/phananh" }, /về con nào/);
    await step(anMom, { press: /Nguyễn Văn An/ }, /chọn loại phản ánh/);
    // A category may be typed, without diacritics, as well as pressed.
    await step(anMom, { say: "hoc tap" }, /viết nội dung phản ánh/);
    await step(anMom, { say: "điểm" }, /hơi ngắn/);
    const concernText = "Con về kể bị trừ điểm kiểm tra 15 phút môn Toán mà không rõ lý do ạ.";
    expect(await step(anMom, { say: concernText }, /xem lại/)).toContain("Loại: Học tập");
    const created = await step(anMom, { press: /^Gửi$/ }, /đã gửi phản ánh PA-0001/);
    expect(created).toContain("chậm nhất Thứ Hai, 14/09/2026 lúc 17:00");

    // The teacher gets the child's name and class, never the parent's name or handle.
    const toTeacher = await expectMessage(teacher, /Phản ánh PA-0001 — Học tập/);
    expect(toTeacher).toContain("Phụ huynh em Nguyễn Văn An, lớp 6A1");
    expect(toTeacher).toContain(concernText);
    expect(textsTo(otherTeacher).join("\n")).not.toContain("PA-0001");
    expect(textsTo(principal).join("\n")).not.toContain("PA-0001");

    await step(teacher, { press: /^Đã nhận$/ }, /đã báo phụ huynh/);
    // The guardian reads the teacher by title and name ("Cô Lan"), not "Cô/Thầy chủ nhiệm".
    await expectMessage(anMom, /Dạ, Cô Lan đã nhận phản ánh PA-0001/);
    await step(teacher, { press: /^Trả lời$/ }, /nhập tin nhắn cho phản ánh PA-0001/);
    await step(teacher, { say: "Cô đã xem lại bài, con làm sai câu 3; cô sẽ giảng lại cho con ạ." }, /đã chuyển tin nhắn/);
    expect(await expectMessage(anMom, /Giáo viên chủ nhiệm trả lời phản ánh PA-0001/)).toContain("con làm sai câu 3");

    await step(anMom, { press: /^Viết thêm$/ }, /nhập tin nhắn cho phản ánh PA-0001/);
    await step(anMom, { say: "Dạ cảm ơn cô, gia đình sẽ nhắc con ôn lại ạ." }, /đã chuyển tin nhắn/);
    expect(await expectMessage(teacher, /Phụ huynh em Nguyễn Văn An \(lớp 6A1\) viết thêm/)).toContain("gia đình sẽ nhắc con");

    expect(await step(teacher, { say: "/phananh" }, /1 phản ánh đang mở/)).toBeTruthy();
    await step(teacher, { press: /PA-0001 · Nguyễn Văn An/ }, /Trạng thái: Đang xử lý/);
    await step(teacher, { press: /^Đã giải quyết$/ }, /đã mời phụ huynh xác nhận/);
    await expectMessage(anMom, /PA-0001 đã được đánh dấu là đã giải quyết/);
    await step(anMom, { press: /^5 ⭐$/ }, /đánh giá phản ánh PA-0001: 5\/5/);

    // A reply to a closed ticket gets a clear answer.
    await step(anMom, { say: "/phananh" }, /gửi phản ánh mới hay xem/);
    await step(anMom, { press: /PA-0001/ }, /Đánh giá: 5\/5/);

    const staffSaw = [...textsTo(teacher), ...textsTo(principal)].join("\n");
    expect(staffSaw).not.toMatch(/Hoa|hoa_nguyen|0912/);
    const C = registerConcernModels(t.app.db.conn);
    const ticket = (await C.Concern.findOne({ number: "PA-0001" }).lean())!;
    expect(ticket).toMatchObject({ status: "resolved", rating: 5 });
    expect(await C.ConcernMessage.countDocuments({ concernId: ticket._id })).toBe(3);
  });

  it("a bullying report at 22:00 reaches the teacher and the principal at once, and the principal files an incident report", async () => {
    clock.set(hn("2026-09-14T22:00:00"));
    await step(binhMom, { say: "/phananh" }, /chọn loại phản ánh/);
    await step(binhMom, { press: /bắt nạt/ }, /viết nội dung phản ánh/);
    await step(binhMom, { say: "Con bị mấy bạn lớp trên chặn đường xin tiền ở cổng sau hai ngày nay ạ." }, /xem lại/);
    await step(binhMom, { press: /^Gửi$/ }, /chuyển ngay phản ánh PA-0002 tới giáo viên chủ nhiệm và Ban giám hiệu/);

    const toPrincipal = await expectMessage(principal, /KHẨN — Phản ánh PA-0002 — Bạn bè \/ bắt nạt/);
    expect(toPrincipal).toContain("Phụ huynh em Trần Thị Bình, lớp 6A1");
    await expectMessage(teacher, /KHẨN — Phản ánh PA-0002/);
    const C = registerConcernModels(t.app.db.conn);
    const ticket = (await C.Concern.findOne({ number: "PA-0002" }).lean())!;
    // Nothing of it waits for the end of quiet hours.
    expect(await t.app.db.models.Delivery.countDocuments({ group: `pa-${ticket._id}` })).toBe(2);
    expect((await t.app.queues.outbox.getJobs(["delayed"])).filter((j) => j.id!.includes(ticket._id))).toEqual([]);

    await step(principal, { press: /Lập báo cáo sự việc/ }, /điều gì đã xảy ra/);
    await step(principal, { say: "Học sinh Bình bị hai học sinh lớp 8 chặn đường xin tiền ở cổng sau." }, /xảy ra khi nào/);
    await step(principal, { say: "Chiều 13 và 14/09/2026, khoảng 17h" }, /những ai đã được thông báo/);
    await step(principal, { say: "Gia đình, GVCN 6A1, GVCN 8A2, bảo vệ" }, /đã và sẽ làm gì/);
    await step(principal, { say: "Đã gặp hai em và gia đình; bố trí bảo vệ ở cổng sau giờ tan học" }, /xem lại báo cáo sự việc/);
    const done = await step(principal, { press: /^Gửi$/ }, /đã lưu báo cáo sự việc/);
    expect(done).toContain("Phòng GD&ĐT quận 1");
    expect(done).toContain("chưa có kênh nhắn trực tiếp");
    const report = await eventually(async () => (await C.ConcernIncident.findOne({ concernId: ticket._id }).lean())!);
    expect(report).toMatchObject({ sentTo: "Phòng GD&ĐT quận 1 — vp@pgd.example", sentVia: "recorded", when: "Chiều 13 và 14/09/2026, khoảng 17h" });
    expect(report.sentAt).toEqual(hn("2026-09-14T22:00:00"));
    expect(world.schoolId).toBe(ticket.schoolId);
  });
});
