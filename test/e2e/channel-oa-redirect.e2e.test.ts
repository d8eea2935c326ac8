/**
 * The OA's "other channel" route (`/kenh`): a guardian linked on the school's OA pairs Telegram
 * with a one-time code; a delivery the OA cannot carry (8 days after the last interaction, no
 * template for its kind) goes to the same person's Telegram instead of being held, and the
 * route fact says so. The app's clock follows the fake OA's.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { say } from "../../src/engine/say.js";
import type { OutboxItem } from "../../src/engine/ports.js";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import { householdsOf } from "../../src/store/audience.js";
import { telegramEventId } from "../../src/channels/telegram/parse-update.js";
import { startOaApp, type OaTestApp } from "../support/oa-harness.js";
import { FakeTelegram, type TgUser } from "../support/fake-telegram.js";
import { eventually } from "../support/eventually.js";

const HOUR = 3_600_000;

describe("a guardian on the OA and on Telegram: what the OA cannot carry goes to Telegram", () => {
  let t: OaTestApp;
  let telegram: FakeTelegram;
  let demo: DemoSeed;
  const oaUser = "8123456789012340001";
  const tgUser: TgUser = { id: 7_200_001, first_name: "Mai" };

  const sayTg = async (text: string): Promise<string> => {
    const since = telegram.sent().length;
    const update = telegram.userMessage(tgUser, text);
    const id = telegramEventId(update, t.app.telegram!.account);
    await eventually(async () => (await t.app.db.models.ProcessedEvent.findById(id).lean())?.status === "done", { timeoutMs: 20_000, message: `update ${id} not handled` });
    return telegram.sent({ chatId: tgUser.id }).filter((r) => r.index >= since).map((r) => String(r.params.text ?? "")).join("\n");
  };
  const pressTg = async (label: RegExp): Promise<string> => {
    const markup = telegram.sent({ chatId: tgUser.id }).map((r) => r.params.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined);
    const data = markup.flatMap((m) => m?.inline_keyboard?.flat() ?? []).reverse().find((b) => label.test(b.text))?.callback_data;
    if (!data) throw new Error(`no button ${label}`);
    const since = telegram.sent().length;
    const update = telegram.callbackQuery(tgUser, data);
    const id = telegramEventId(update, t.app.telegram!.account);
    await eventually(async () => (await t.app.db.models.ProcessedEvent.findById(id).lean())?.status === "done", { timeoutMs: 20_000, message: `update ${id} not handled` });
    return telegram.sent({ chatId: tgUser.id }).filter((r) => r.index >= since).map((r) => String(r.params.text ?? "")).join("\n");
  };

  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    t = await startOaApp("oa-channel-redirect", { env: { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot } });
    demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    await telegram?.close();
  });

  it("links on the OA, pairs Telegram with the code from /kenh, and a delivery the OA cannot carry is redirected to Telegram", async () => {
    await t.deliver(t.fake.userEvent(oaUser, "follow"));
    await t.say(oaUser, `LK ${demo.codes.guardians[0]!.code}`);
    expect(await t.say(oaUser, t.button(oaUser, /đồng ý/i))).toMatch(/liên kết thành công/);
    expect(await t.say(oaUser, "kenh")).toMatch(/một kênh \(Zalo OA\)/);
    const code = /KN-[0-9A-Z]{6}/.exec(await t.say(oaUser, t.button(oaUser, /Thêm kênh khác/)))?.[0];
    expect(code).toBeDefined();
    expect(await sayTg(`/kenh ${code}`)).toMatch(/ghép kênh nhắn tin này/);
    expect(await pressTg(/Tôi đồng ý/)).toMatch(/đã ghép kênh này với Zalo OA/);

    // The guardian wants the school's messages on the OA: the household's address is the OA one.
    expect(await t.say(oaUser, "kenh")).toMatch(/Telegram — đang nhận tin nhắn/);
    expect(await t.say(oaUser, t.button(oaUser, /Nhận tin qua Zalo OA/))).toMatch(/qua Zalo OA ạ/);
    const studentId = (await t.app.db.models.InviteCode.findById(demo.codes.guardians[0]!.code).lean())!.grant.studentId as string;
    expect((await householdsOf(t.app.db.models, [studentId]))[0]!.guardians.map((g) => g.address.channel)).toEqual(["zalo-oa"]);

    // Eight days later the OA may not send a consultation message, and a poll has no template.
    t.advance(8 * 24 * HOUR);
    const outbox = t.app.services.outbox as unknown as { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> };
    const recipient = { channel: "zalo-oa" as const, account: t.fake.oaId, userId: oaUser, chatId: oaUser };
    const oaSent = t.fake.sent.length;
    await outbox.enqueueGroup("poll-redirect", [{ key: "redir-1", recipient, messages: [say("zalo-oa-reconnected")] }]);
    await eventually(async () => (await t.app.db.models.DeliveryMark.findById("redir-1|sent").lean()) !== null, { timeoutMs: 15_000, message: "not sent" });
    expect(String((await t.app.db.models.DeliveryMark.findById("redir-1|route-1").lean())!.error)).toBe("other-channel:telegram:none");
    expect(telegram.sent({ chatId: tgUser.id }).filter((r) => /kết nối lại/.test(String(r.params.text)))).toHaveLength(1);
    expect(t.fake.sent.slice(oaSent).filter((s) => s.to === oaUser)).toHaveLength(0);
  });
});
