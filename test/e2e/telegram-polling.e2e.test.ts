import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { eventually } from "../support/eventually.js";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import { telegramEventId } from "../../src/channels/telegram/parse-update.js";

describe("a guardian on Telegram (long polling)", () => {
  let t: TestApp;
  let demo: DemoSeed;
  const lan = { id: 5550001111, first_name: "Lan", language_code: "vi" };
  beforeAll(async () => {
    t = await startTestApp("polling");
    demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
  });
  afterAll(async () => { await t?.stop(); });

  it("links by deep link, consents, sees the menu, switches language, links a second child and deletes their data", async () => {
    const [first, second] = [demo.codes.guardians[0]!, demo.codes.guardians[5]!];
    expect(await t.say(lan, `/start ${first.code}`)).toContain(first.subject);
    expect(await t.press(lan, t.button(lan, /Tôi đồng ý/))).toContain("liên kết thành công");

    expect(await t.say(lan, "/menu")).toContain("Kính chào");
    const menu = t.telegram.sent({ chatId: lan.id }).at(-1)!;
    const labels = (menu.params.reply_markup as { inline_keyboard: { text: string }[][] }).inline_keyboard.flat().map((b) => b.text);
    expect(labels).toEqual(expect.arrayContaining(["Họp phụ huynh", "Gửi phản ánh", "Liên kết thêm con"]));

    await t.say(lan, "/ngonngu");
    expect(await t.press(lan, t.button(lan, /^English$/))).toContain("English from now on");
    expect(await t.say(lan, `/link ${second.code}`)).toContain(`pupil ${second.subject}`);
    expect(await t.press(lan, t.button(lan, /I agree/))).toContain("linked with pupil");

    const identity = (await t.app.db.models.ChannelIdentity.findOne({ externalUserId: String(lan.id) }).lean())!;
    expect(await t.app.db.models.GuardianLink.countDocuments({ identityId: identity._id })).toBe(2);

    await t.say(lan, "/forget");
    expect(await t.press(lan, t.button(lan, /Delete my data/))).toContain("All your data has been deleted");
    expect(await t.app.db.models.ChannelIdentity.countDocuments({ _id: identity._id })).toBe(0);
    expect(await t.app.db.models.GuardianLink.countDocuments({ identityId: identity._id })).toBe(0);
    // Forgotten: the next message is answered as from a stranger, in Vietnamese again.
    expect(await t.say(lan, "/trogiup")).toContain("mã liên kết");
  });

  it("confirms updates through getUpdates offsets only after they were recorded", async () => {
    const before = t.telegram.calls("getUpdates").length;
    const update = t.telegram.userMessage({ id: 5550002222, first_name: "Minh" }, "/trogiup");
    await t.telegram.waitForSent((r) => String(r.chatId) === "5550002222");
    await eventually(() => t.telegram.calls("getUpdates").slice(before).some((c) => Number(c.params.offset) > update.update_id));
    // The turn runs on after its record is confirmed; it completes the record after replying.
    await eventually(async () => expect(await t.app.db.models.ProcessedEvent.findById(telegramEventId(update, t.app.telegram!.account)).lean()).toMatchObject({ status: "done" }));
  });

  it("answers every button press (callback query), even a stale one", async () => {
    const minh = { id: 5550003333, first_name: "Minh" };
    await t.say(minh, "/ngonngu");
    await t.say(minh, "/huy");
    const pressed = t.telegram.callbackQuery(minh, "c-vi");
    // The flow it belonged to has ended: its keyboard is taken off the message (it no longer looks pressable), no new message.
    const edit = await t.telegram.waitForSent((r) => String(r.chatId) === String(minh.id) && r.method === "editMessageReplyMarkup");
    expect((edit.params.reply_markup as { inline_keyboard?: unknown[] } | undefined)?.inline_keyboard ?? []).toEqual([]);
    await eventually(() => t.telegram.callbackAnswers().some((a) => a.callbackQueryId === pressed.callback_query!.id));
  });

  it("ignores group chatter, and answers a command in a group with a private-chat hint", async () => {
    const user = { id: 5550004444, first_name: "Hoa" };
    t.telegram.groupMessage(user, -100777, "chào cả nhà");
    const cmd = t.telegram.groupMessage(user, -100777, `/menu@${t.telegram.botUsername}`);
    const reply = await t.telegram.waitForSent((r) => String(r.chatId) === "-100777");
    expect(String(reply.params.text)).toContain("tin nhắn riêng");
    expect(t.telegram.sent({ chatId: -100777 })).toHaveLength(1);
    expect(cmd.update_id).toBeGreaterThan(0);
  });

  it("a redelivered update is handled once", async () => {
    const hoa = { id: 5550005555, first_name: "Hoa" };
    const update = t.telegram.userMessage(hoa, "/trogiup");
    await t.telegram.waitForSent((r) => String(r.chatId) === String(hoa.id));
    const count = t.telegram.sent({ chatId: hoa.id }).length;
    const again = t.telegram.redeliver(update);
    const marker = await t.say(hoa, "/huy");
    expect(marker).toContain("không có thao tác");
    expect(again.update_id).toBe(update.update_id);
    // Only the /huy reply was added: the redelivered /trogiup did not run again.
    expect(t.telegram.sent({ chatId: hoa.id }).length).toBe(count + 1);
  });

  it("an update recorded just before a crash is handled by recovery, once", async () => {
    const giang = { id: 5550006666, first_name: "Giang" };
    t.telegram.knownChat(giang.id);
    const event = { id: `telegram:${t.app.telegram!.account}:crash-1`, address: { channel: "telegram" as const, account: t.app.telegram!.account, userId: String(giang.id), chatId: String(giang.id) },
      at: new Date(), chatType: "private" as const, kind: "command" as const, command: "trogiup", args: "", addressedToBot: true };
    expect(await t.app.receiver.record(event)).toBe("new"); // the process "dies" here
    expect(t.telegram.sent({ chatId: giang.id })).toHaveLength(0);
    expect(await t.app.receiver.recover(new Date(Date.now() + 1_000))).toBeGreaterThanOrEqual(1);
    expect(String(t.telegram.sent({ chatId: giang.id })[0]?.params.text)).toContain("mã liên kết");
    await t.app.receiver.recover(new Date(Date.now() + 1_000));
    expect(t.telegram.sent({ chatId: giang.id })).toHaveLength(1);
  });
});
