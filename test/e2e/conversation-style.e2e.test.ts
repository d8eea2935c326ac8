/**
 * Issue 10, items 1 and 2, through the real app and the fake Telegram Bot API on the demo
 * school (Cô Lan teaches 6A1, Thầy Minh is the principal, a parent heads the 6A1 board, 6A2
 * has no teacher on the bot): each person is addressed by their role and title, a third person
 * by title and name, and the night-time concern replies read as one coherent message.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { FakeClock } from "../support/fakes.js";
import type { TgUser } from "../support/fake-telegram.js";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";

const hn = (local: string) => new Date(`${local}+07:00`);

const lan: TgUser = { id: 7710001, first_name: "Lan", language_code: "vi" };
const minh: TgUser = { id: 7710002, first_name: "Minh", language_code: "vi" };
const boardHead: TgUser = { id: 7710003, first_name: "Tuấn", language_code: "vi" };
const anMom: TgUser = { id: 7710004, first_name: "Hoa", language_code: "vi" };
const baoDad: TgUser = { id: 7710005, first_name: "Quốc", language_code: "vi" };

describe("conversation style end to end (issue 10: form of address, wording)", () => {
  // Monday 14/09/2026 09:00 in Hà Nội.
  const clock = new FakeClock(hn("2026-09-14T09:00:00"));
  let t: TestApp;
  let demo: DemoSeed;

  const link = async (user: TgUser, code: string) => {
    expect(await t.say(user, `/start ${code}`)).toContain("Quý vị có đồng ý không?");
    return t.press(user, t.button(user, /Tôi đồng ý/));
  };
  /** A guardian with one child raises a concern; returns every reply of the last step. */
  const raise = async (user: TgUser, category: RegExp, text: string) => {
    let reply = await t.say(user, "/phananh");
    if (/gửi phản ánh mới hay xem/.test(reply)) reply = await t.press(user, t.button(user, /Gửi phản ánh mới/));
    expect(reply).toMatch(/chọn loại phản ánh/);
    expect(await t.press(user, t.button(user, category))).toMatch(/viết nội dung phản ánh/);
    expect(await t.say(user, text)).toMatch(/xem lại/);
    return t.press(user, t.button(user, /^Gửi$/));
  };

  beforeAll(async () => {
    t = await startTestApp("conversation-style", { clock });
    demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
  }, 60_000);
  afterAll(async () => { await t?.stop(); });

  it("greets the teacher as Cô, the principal as Thầy and the board head (a parent) as Quý phụ huynh", async () => {
    expect(await link(lan, demo.codes.homeroomTeacher.code)).toContain("Kính chào Cô!");
    const menu = await t.say(lan, "/menu");
    expect(menu).toContain("Kính chào Cô!");
    expect(menu).toContain("Cô cần em giúp việc gì ạ?");
    expect(menu).not.toMatch(/Thầy\/Cô|Quý vị/);
    expect(await t.say(lan, "/bieuquyet")).toContain("Dạ, Cô muốn làm gì ạ?");
    await t.say(lan, "/huy");

    expect(await link(minh, demo.codes.principal.code)).toContain("Kính chào Thầy!");
    expect(await t.say(minh, "/menu")).toContain("Kính chào Thầy!");

    expect(await link(boardHead, demo.codes.boardHead.code)).toContain("Kính chào Quý phụ huynh!");
    const boardMenu = await t.say(boardHead, "/menu");
    expect(boardMenu).toContain("Kính chào Quý phụ huynh!");
    expect(boardMenu).not.toMatch(/Thầy\/Cô|Quý vị/);
    const polls = await t.say(boardHead, "/bieuquyet");
    expect(polls).toContain("Dạ, Quý phụ huynh muốn làm gì ạ?");
    expect(polls).not.toContain("Thầy/Cô");
    await t.say(boardHead, "/huy");
  }, 60_000);

  it("tells the guardian 'Cô Lan đã nhận', by the teacher's real title and name", async () => {
    const an = demo.codes.guardians.find((c) => c.className === "6A1")!;
    expect(await link(anMom, an.code)).toContain("liên kết thành công");
    const created = await raise(anMom, /^Học tập$/, "Con chưa được chép bài môn Toán hôm thứ Sáu ạ.");
    expect(created).toMatch(/đã gửi phản ánh PA-\d+ tới giáo viên chủ nhiệm ạ/);
    const number = /PA-\d+/.exec(created)![0];
    const since = t.telegram.sent().length;
    const ticket = await t.telegram.waitForSent((r) => String(r.chatId) === String(lan.id) && String(r.params.text).includes(`Phản ánh ${number}`));
    expect(String(ticket.params.text)).toContain("Đề nghị Cô phản hồi trước");
    expect(await t.press(lan, t.button(lan, /^Đã nhận$/))).toContain(`đã báo phụ huynh là Cô đã nhận phản ánh ${number}`);
    const told = await t.telegram.waitForSent((r) => String(r.chatId) === String(anMom.id) && /đã nhận phản ánh/.test(String(r.params.text)), { since });
    expect(String(told.params.text)).toBe(`Dạ, Cô Lan đã nhận phản ánh ${number} ạ.`);
  }, 60_000);

  it("at night, a concern about a teacher is announced for Ban giám hiệu, with 'lúc' once", async () => {
    clock.set(hn("2026-09-14T22:00:00"));
    await t.say(anMom, "/huy");
    const reply = await raise(anMom, /^Về giáo viên$/, "Cô giáo bộ môn thường cho lớp nghỉ sớm, con bị thiếu bài ạ.");
    expect(reply).toContain("Ban giám hiệu sẽ nhận được phản ánh vào Thứ Ba, 15/09/2026 lúc 06:30");
    expect(reply).toMatch(/đã gửi phản ánh PA-\d+ tới Ban giám hiệu ạ/);
    expect(reply).not.toMatch(/Thầy\/Cô|giáo viên chủ nhiệm sẽ|lúc Thứ/);
    expect(reply).not.toContain("tự động chuyển lên Ban giám hiệu");
  }, 60_000);

  it("at night, a 6A2 guardian (no teacher on the bot) gets one coherent answer, not '06:30' and then 'no teacher'", async () => {
    const bao = demo.codes.guardians.find((c) => c.className === "6A2")!;
    expect(await link(baoDad, bao.code)).toContain("liên kết thành công");
    const reply = await raise(baoDad, /^Học tập$/, "Con chưa nhận được thời khóa biểu mới của lớp ạ.");
    expect(reply).toContain("giáo viên chủ nhiệm của lớp con hiện chưa dùng Sổ liên lạc");
    expect(reply).not.toMatch(/sẽ nhận được phản ánh vào|ngoài giờ liên lạc|06:30|Thầy\/Cô/);
  }, 60_000);
});
