/**
 * One guardian on Telegram and on the Zalo Bot (`/kenh`), through the real app (MongoDB-compatible
 * server, Redis, BullMQ, HTTP) against both fake platforms: pairing with a one-time code, a
 * notice that comes once on the messenger linked last, a switch with `/kenh`, and the next
 * notice on the other one.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { FakeZalo, type ZaloUser } from "../support/fake-zalo.js";
import type { TgUser } from "../support/fake-telegram.js";
import { eventually } from "../support/eventually.js";

/** A weekday morning in Hanoi (outside the school's quiet hours), moving with real time. */
const offset = Date.parse("2026-12-02T03:00:00Z") - Date.now();
const clock = { now: () => new Date(Date.now() + offset) };

describe("a guardian on Telegram and Zalo gets each notice once, on the messenger they choose", () => {
  let t: TestApp;
  let zalo: FakeZalo;
  let demo: DemoSeed;
  const momTg: TgUser = { id: 7_100_001, first_name: "Lan" };
  const momZalo: ZaloUser = { id: "12345678901234567001", display_name: "Lan" };
  const teacher: TgUser = { id: 7_100_009, first_name: "Hà" };

  const sayZalo = async (user: ZaloUser, text: string): Promise<string> => {
    const since = zalo.sent().length;
    const update = zalo.userMessage(user, text);
    const id = `zalo-bot:${t.app.zalo!.account}:${update.message.message_id}`;
    await eventually(async () => (await t.app.db.models.ProcessedEvent.findById(id).lean())?.status === "done", { timeoutMs: 20_000, message: `update ${id} not handled` });
    return zalo.sent({ chatId: user.id }).filter((s) => s.index >= since).map((s) => String(s.params.text ?? "")).join("\n");
  };
  const numberOf = (text: string, label: RegExp): string => {
    const line = text.split("\n").find((l) => /^\d+\. /.test(l) && label.test(l.replace(/^\d+\. /, "")));
    if (!line) throw new Error(`no item ${label} in ${text}`);
    return line.split(".")[0]!;
  };
  const tgTexts = (user: TgUser) => t.telegram.sent({ chatId: user.id }).map((r) => String(r.params.text ?? ""));

  async function sendNotice(text: string, key: string): Promise<string> {
    const actor = await t.app.services.directory.resolve({ channel: "telegram", account: t.app.telegram!.account, userId: String(teacher.id), chatId: String(teacher.id) });
    const created = await t.app.services.broadcast.create({ identityId: actor.identityId!, roles: actor.roles }, {
      schoolId: demo.schoolId, scope: { kind: "class", classGroupId: actor.roles.staff[0]!.classGroupId }, kind: "info", text, urgent: false,
    }, key);
    if (created.status !== "sent") throw new Error(`notice not sent: ${created.status}`);
    const group = `n-${created.notice.id}`;
    // Every delivery of the notice was sent: nobody is waiting for a second copy.
    await eventually(async () => {
      const [deliveries, sent] = await Promise.all([t.app.db.models.Delivery.countDocuments({ group }), t.app.db.models.DeliveryMark.countDocuments({ group, kind: "sent" })]);
      return deliveries > 0 && sent === deliveries;
    }, { timeoutMs: 20_000, message: "notice deliveries not sent" });
    return group;
  }

  beforeAll(async () => {
    zalo = await FakeZalo.start();
    t = await startTestApp("channel-pairing", { clock, env: { ZALO_BOT_TOKEN: zalo.token, ZALO_API_ROOT: zalo.apiRoot } });
    demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
    await t.say(teacher, `/start ${demo.codes.homeroomTeacher.code}`);
    expect(await t.press(teacher, t.button(teacher, /Tôi đồng ý/))).toMatch(/đã xác nhận vai trò/);
    await t.say(momTg, `/start ${demo.codes.guardians[0]!.code}`);
    expect(await t.press(momTg, t.button(momTg, /Tôi đồng ý/))).toMatch(/thành công/);
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    await zalo?.close();
  });

  it("pairs Zalo with the code asked for on Telegram, after Zalo's privacy consent", async () => {
    expect(await t.say(momTg, "/kenh")).toMatch(/một kênh \(Telegram\)/);
    const reply = await t.press(momTg, t.button(momTg, /Thêm kênh khác/));
    const code = /KN-[0-9A-Z]{6}/.exec(reply)?.[0];
    expect(code, reply).toBeDefined();
    const intro = await sayZalo(momZalo, code!);
    expect(intro).toMatch(/ghép kênh nhắn tin này/);
    expect(intro).toMatch(/1\. Tôi đồng ý/);
    expect(await sayZalo(momZalo, "1")).toMatch(/đã ghép kênh này với Telegram/);
    // Zalo has the same roles now: its menu is a guardian's.
    expect(await sayZalo(momZalo, "trogiup")).toMatch(/\/kenh/);
  });

  it("a notice comes once, on Zalo (linked last)", async () => {
    const group = await sendNotice("Kính gửi Quý phụ huynh: lớp tham quan bảo tàng thứ Năm.", "pair-notice-1");
    expect(zalo.texts(momZalo.id).filter((x) => x.includes("tham quan bảo tàng"))).toHaveLength(1);
    expect(tgTexts(momTg).filter((x) => x.includes("tham quan bảo tàng"))).toHaveLength(0);
    expect(await t.app.db.models.Delivery.countDocuments({ group })).toBe(1);
  });

  it("/kenh on Zalo lists both messengers; switching to Telegram sends the next notice there only", async () => {
    const list = await sayZalo(momZalo, "kenh");
    expect(list).toMatch(/Zalo — đang nhận tin nhắn của nhà trường \(kênh này\)/);
    expect(list).toMatch(/• Telegram\n|• Telegram$/m);
    expect(await sayZalo(momZalo, numberOf(list, /^Nhận tin qua Telegram$/))).toMatch(/qua Telegram ạ/);
    await sendNotice("Kính gửi Quý phụ huynh: họp phụ huynh dời sang thứ Bảy.", "pair-notice-2");
    expect(tgTexts(momTg).filter((x) => x.includes("dời sang thứ Bảy"))).toHaveLength(1);
    expect(zalo.texts(momZalo.id).filter((x) => x.includes("dời sang thứ Bảy"))).toHaveLength(0);
    // /quyenriengtu names the paired messengers, no handles.
    expect(await t.say(momTg, "/quyenriengtu")).toMatch(/đã ghép \(\/kenh\): Telegram, Zalo/);
  });

  it("an RSVP on Telegram is not reported to the same parent on Zalo as 'another guardian answered'", async () => {
    const actor = await t.app.services.directory.resolve({ channel: "telegram", account: t.app.telegram!.account, userId: String(teacher.id), chatId: String(teacher.id) });
    const created = await t.app.services.meetings.create({ identityId: actor.identityId!, roles: actor.roles }, {
      schoolId: demo.schoolId, scope: { kind: "class", classGroupId: actor.roles.staff[0]!.classGroupId }, kind: "other",
      startsAt: new Date(clock.now().getTime() + 5 * 86_400_000), place: "Phòng 6A1", agenda: "Kết quả giữa kỳ",
    }, "pair-meeting-1");
    expect(created.status).toBe("published");
    await t.telegram.waitForSent((r) => String(r.params.chat_id) === String(momTg.id) && String(r.params.text).includes("Phòng 6A1"), { timeoutMs: 15_000 });
    expect(await t.press(momTg, t.button(momTg, /^Tham dự$/))).toMatch(/đã ghi nhận/);
    expect(zalo.texts(momZalo.id).filter((x) => x.includes("Phòng 6A1"))).toHaveLength(0);
    expect(await t.app.db.models.Delivery.countDocuments({ group: /^mra-/ })).toBe(0);
  });

  it("/xoadulieu on Zalo erases Zalo and its pairing, and says Telegram stays linked", async () => {
    const confirm = await sayZalo(momZalo, "xoadulieu");
    const done = await sayZalo(momZalo, numberOf(confirm, /^Xóa dữ liệu của tôi$/));
    expect(done).toMatch(/đã xóa toàn bộ dữ liệu/);
    expect(done).toMatch(/Kênh Telegram của Quý phụ huynh vẫn được giữ liên kết/);
    expect(await t.app.db.models.ChannelIdentity.countDocuments({ channel: "zalo-bot" })).toBe(0);
    expect(await t.app.db.models.PersonLink.countDocuments({})).toBe(0);
    expect(await t.say(momTg, "/kenh")).toMatch(/một kênh \(Telegram\)/);
  });
});
