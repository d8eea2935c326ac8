import { describe, it, expect } from "vitest";
import { FakeClock } from "../support/fakes.js";
import { eventually } from "../support/eventually.js";
import type { TgUser } from "../support/fake-telegram.js";
import { textOf } from "../support/telegram-steps.js";
import { registerConcernModels } from "../../src/store/concern-models.js";
import { QUEUES } from "../../src/jobs/queues.js";
import { createSchoolAdmin } from "../../src/features/school/admin.js";
import { useConcernApp } from "./support/concern-app.js";

const teacher: TgUser = { id: 7500001, first_name: "Lan", language_code: "vi" };
const otherTeacher: TgUser = { id: 7500002, first_name: "Ha", language_code: "vi" };
const principal: TgUser = { id: 7500003, first_name: "Minh", language_code: "vi" };
const anMom: TgUser = { id: 7500004, first_name: "Hoa", last_name: "Nguyen", username: "hoa_nguyen_0912", language_code: "vi" };
const binhMom: TgUser = { id: 7500005, first_name: "Thu", language_code: "vi" };
const newTeacher: TgUser = { id: 7500006, first_name: "Mai", language_code: "vi" };

const hn = (local: string) => new Date(`${local}+07:00`);

/**
 * The principal's side and the clocks, through the fake Telegram Bot API with a fake clock:
 * delayed jobs (clocks, deliveries held for quiet hours) are promoted after moving the clock,
 * and every check is on what the fake Telegram received.
 */
describe("concerns end to end: escalation, hand-back, figures and quiet hours", () => {
  // Monday 14/09/2026 09:00 in Hà Nội.
  const clock = new FakeClock(hn("2026-09-14T09:00:00"));
  const { t, world, step, expectMessage } = useConcernApp("concern-principal-e2e", clock, { teacher, otherTeacher, principal, anMom, binhMom });
  const textsTo = (user: TgUser, since = 0) => t.telegram.sent({ chatId: user.id }).filter((r) => r.index >= since).map(textOf);
  /** A guardian raises a concern through /phananh; returns the confirmation text. */
  const raise = async (user: TgUser, o: { child?: RegExp; category: RegExp; text: string }) => {
    const first = await step(user, { say: "/phananh" }, /gửi phản ánh mới hay xem|về con nào|chọn loại phản ánh/);
    if (/gửi phản ánh mới hay xem/.test(first)) await step(user, { press: /Gửi phản ánh mới/ }, /về con nào|chọn loại phản ánh/);
    if (o.child) await step(user, { press: o.child }, /chọn loại phản ánh/);
    await step(user, { press: o.category }, /viết nội dung phản ánh/);
    await step(user, { say: o.text }, /xem lại/);
    const since = t.telegram.sent().length;
    t.telegram.callbackQuery(user, t.button(user, /^Gửi$/));
    await expectMessage(user, /đã gửi phản ánh|chuyển ngay phản ánh/, since);
    return textsTo(user, since).join("\n");
  };
  const ticketId = async (number: string) => (await registerConcernModels(t.app.db.conn).Concern.findOne({ number }).lean())!._id;
  /** Makes a delayed job run now (the clock was moved to its time first). */
  const promote = async (queueName: string, jobId: string) => (await t.app.queues.get(queueName).getJob(jobId))!.promote();

  it("unanswered by the deadline, the first-response clock hands the concern to the principal and tells the guardian; the principal hands it back to the teacher", async () => {
    const created = await raise(anMom, { child: /Nguyễn Văn An/, category: /^Học tập$/, text: "Con bị ghi tên vào sổ đầu bài mà không rõ lý do ạ." });
    expect(created).toMatch(/PA-0001.*chậm nhất Thứ Hai, 14\/09\/2026 lúc 17:00/);
    await expectMessage(teacher, /Phản ánh PA-0001 — Học tập/);
    expect(textsTo(principal).join("\n")).not.toContain("PA-0001");

    const since = t.telegram.sent().length;
    clock.set(hn("2026-09-14T17:00:00"));
    await promote(QUEUES.concernClocks, `pclk-${await ticketId("PA-0001")}-first-response-c1`);
    const toPrincipal = await expectMessage(principal, /PA-0001 được chuyển lên Ban giám hiệu — quá hạn phản hồi lần đầu/, since);
    expect(toPrincipal).toContain("Phụ huynh em Nguyễn Văn An, lớp 6A1");
    expect(toPrincipal).toContain("sổ đầu bài");
    expect(toPrincipal).not.toMatch(/Hoa|hoa_nguyen|0912/);
    await expectMessage(anMom, /PA-0001 đã được chuyển lên Ban giám hiệu vì chưa có phản hồi đúng hạn/, since);

    await step(principal, { press: /^Giao lại GVCN$/ }, /đã giao lại phản ánh PA-0001 cho giáo viên chủ nhiệm/);
    expect(await expectMessage(teacher, /Ban giám hiệu giao lại phản ánh PA-0001 cho Cô xử lý/, since)).toContain("sổ đầu bài");
    await expectMessage(anMom, /Ban giám hiệu đã giao phản ánh PA-0001 cho giáo viên chủ nhiệm tiếp tục xử lý/, since);

    clock.set(hn("2026-09-14T17:10:00"));
    await step(teacher, { press: /^Đã nhận$/ }, /đã báo phụ huynh là Cô đã nhận phản ánh PA-0001/);
  });

  it("the teacher hands a concern to Ban giám hiệu with 'Chuyển Ban giám hiệu'; the principal and the guardian are told", async () => {
    await raise(binhMom, { category: /^Sức khỏe$/, text: "Con bị đau bụng sau bữa trưa ở trường hai hôm nay ạ." });
    await expectMessage(teacher, /Phản ánh PA-0002 — Sức khỏe/);
    const since = t.telegram.sent().length;
    await step(teacher, { press: /^Chuyển Ban giám hiệu$/ }, /đã chuyển phản ánh PA-0002 lên Ban giám hiệu/);
    const toPrincipal = await expectMessage(principal, /PA-0002 được chuyển lên Ban giám hiệu — giáo viên chủ nhiệm đề nghị/, since);
    expect(toPrincipal).toContain("Phụ huynh em Trần Thị Bình, lớp 6A1");
    await expectMessage(binhMom, /PA-0002 đã được chuyển lên Ban giám hiệu để xem xét/, since);
  });

  it("the principal's figures: tickets by category, median first response and escalations, without any concern's text", async () => {
    const list = await step(principal, { say: "/phananh" }, /phản ánh đang mở/);
    // Both were escalated once, so the principal keeps them in the list (PA-0001 is back with the teacher).
    expect(list).toMatch(/Thầy có 2 phản ánh đang mở/);
    const figures = await step(principal, { press: /Thống kê phản ánh/ }, /thống kê phản ánh của trường/);
    expect(figures).toContain("Tổng số: 2 (đang mở: 2)");
    expect(figures).toContain("Học tập: 1 · Sức khỏe: 1 · Bạn bè/bắt nạt: 0");
    // PA-0001 first answered at 17:10 after being raised at 09:00.
    expect(figures).toContain("Thời gian phản hồi lần đầu (trung vị): 490 phút");
    expect(figures).toContain("Số lần chuyển Ban giám hiệu: 2");
    expect(figures).not.toMatch(/sổ đầu bài|đau bụng|Nguyễn Văn An|Trần Thị Bình/);
  });

  it("quiet hours: a teacher on 22:00–07:00 gets a 21:30 concern at once; at 22:00 a teacher on the default gets it when quiet hours end", async () => {
    // The 6A1 teacher sets her own quiet hours in the bot.
    await step(teacher, { say: "/phananh" }, /phản ánh đang mở/);
    await step(teacher, { press: /Giờ yên tĩnh của tôi/ }, /gõ khung giờ mong muốn/);
    await step(teacher, { press: /^22:00–07:00$/ }, /đã lưu: giờ yên tĩnh của Cô là 22:00–07:00/);

    clock.set(hn("2026-09-14T21:30:00"));
    const atOnce = await raise(anMom, { child: /Nguyễn Văn An/, category: /^Thu chi/, text: "Cho em hỏi khoản quỹ lớp tháng này là bao nhiêu ạ?" });
    expect(atOnce).not.toMatch(/ngoài giờ liên lạc/);
    await expectMessage(teacher, /Phản ánh PA-0003 — Thu chi/);

    clock.set(hn("2026-09-14T22:00:00"));
    const since = t.telegram.sent().length;
    const held = await raise(anMom, { child: /Hoàng Anh Khoa/, category: /^Học tập$/, text: "Con chưa nhận được thời khóa biểu học thêm buổi chiều ạ." });
    expect(held).toContain("giáo viên chủ nhiệm sẽ nhận được phản ánh vào Thứ Ba, 15/09/2026 lúc 06:30");
    const delayed = await t.app.queues.outbox.getJobs(["delayed"]);
    expect(delayed).toHaveLength(1);
    expect(textsTo(otherTeacher, since).join("\n")).not.toContain("PA-0004");

    clock.set(hn("2026-09-15T06:30:00"));
    await delayed[0]!.promote();
    const delivered = await expectMessage(otherTeacher, /Phản ánh PA-0004 — Học tập/, since);
    expect(delivered).toContain("Phụ huynh em Hoàng Anh Khoa, lớp 6A2");
    expect(delivered).toContain("thời khóa biểu học thêm");
  });

  it("a concern for a class without a teacher in the bot reaches the homeroom teacher who links afterwards", async () => {
    const models = t.app.db.models;
    const year = (await models.SchoolYear.findOne({ schoolId: world.schoolId }).lean())!;
    const cls = await models.ClassGroup.create({ schoolId: world.schoolId, yearId: year._id, name: "6A3", grade: 6 });
    const lam = await models.Student.create({ schoolId: world.schoolId, classGroupId: cls._id, fullName: "Đỗ Gia Lâm", studentCode: "S9" });
    await models.GuardianLink.create({ identityId: world.identities.binhMom, studentId: lam._id, schoolId: world.schoolId });

    const before = t.telegram.sent().length;
    expect(await raise(binhMom, { child: /Đỗ Gia Lâm/, category: /^Học tập$/, text: "Con chưa được xếp chỗ ngồi cố định trong lớp ạ." })).toContain("PA-0005");
    await expectMessage(binhMom, /giáo viên chủ nhiệm của lớp con hiện chưa dùng Sổ liên lạc. Em đã lưu phản ánh và sẽ chuyển ngay khi giáo viên chủ nhiệm bắt đầu dùng/, before);

    // The 6A3 homeroom teacher links with her staff code.
    const staff = await models.Staff.create({ schoolId: world.schoolId, fullName: "Lê Thị Mai", title: "Cô" });
    const code = (await createSchoolAdmin(models).issueStaffCode({ schoolId: world.schoolId, staffId: staff._id, role: "homeroom-teacher", classGroupId: cls._id, ttlDays: 30 })).code;
    await step(newTeacher, { say: `/start ${code}` }, /đồng ý không/);
    await step(newTeacher, { press: /Tôi đồng ý/ }, /xác nhận vai trò giáo viên chủ nhiệm lớp 6A3/);
    const since = t.telegram.sent().length;

    // The minute sweep runs (its next run promoted to now).
    // (A run may be under way at a minute boundary: wait for the next one to be scheduled.)
    const sweep = await eventually(async () => {
      const next = (await t.app.queues.get(QUEUES.concernClocks).getJobs(["delayed"])).find((j) => j.name === "concern-assign");
      if (!next) throw new Error("no scheduled sweep yet");
      return next;
    }, { message: "the concern-assign sweep" });
    await sweep.promote();
    const notice = await expectMessage(newTeacher, /phản ánh PA-0005 được phụ huynh gửi vào Thứ .*khi Cô chưa dùng Sổ liên lạc/, since);
    expect(notice).toBeTruthy();
    const ticket = await expectMessage(newTeacher, /Phản ánh PA-0005 — Học tập/, since);
    expect(ticket).toContain("Phụ huynh em Đỗ Gia Lâm, lớp 6A3");
    await step(newTeacher, { press: /^Đã nhận$/ }, /đã báo phụ huynh là Cô đã nhận phản ánh PA-0005/);
    // The guardian reads the real teacher's title and name, not "Cô/Thầy chủ nhiệm".
    await expectMessage(binhMom, /Dạ, Cô Mai đã nhận phản ánh PA-0005/, since);
  });
});
