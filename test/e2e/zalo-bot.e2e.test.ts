import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import type { ZaloUser } from "../support/fake-zalo.js";
import { eventually } from "../support/eventually.js";
import { startZaloApp, numberOf, ZALO_WEBHOOK_SECRET as ZALO_SECRET, type ZaloTestApp } from "../support/zalo-harness.js";

describe("a guardian on Zalo Bot (long polling)", () => {
  let t: ZaloTestApp;
  let demo: DemoSeed;
  // Above 2^53 and sent as bare JSON numbers by the fake: must survive as the exact digits.
  const lan: ZaloUser = { id: "12345678901234567891", display_name: "Lan" };
  beforeAll(async () => {
    t = await startZaloApp("zalo-polling", { fake: { numericIds: true } });
    demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
  });
  afterAll(async () => { await t?.stop(); });

  it("starts with no playground (a messenger token is set) and polls without a webhook", async () => {
    expect(t.app.config.playground).toBe(false);
    expect(t.zalo.calls("deleteWebhook")).toHaveLength(1);
    await eventually(() => t.zalo.calls("getUpdates").length > 0);
  });

  it("links with 'start <code>', consents by typing 1, gets the menu as a numbered list and picks an item by number", async () => {
    const code = demo.codes.guardians[0]!;
    const found = await t.say(lan, `start ${code.code}`);
    expect(found).toContain(code.subject);
    expect(found).toMatch(/1\. Tôi đồng ý\n2\. /);
    expect(found).toContain("Trả lời bằng số (1–2).");

    expect(await t.say(lan, "1")).toContain("liên kết thành công");
    const identity = (await t.app.db.models.ChannelIdentity.findOne({ channel: "zalo-bot", externalUserId: lan.id }).lean())!;
    expect(identity).toMatchObject({ chatId: lan.id, account: t.app.zalo!.account });
    expect(await t.app.db.models.GuardianLink.countDocuments({ identityId: identity._id })).toBe(1);

    const menu = await t.say(lan, "menu");
    expect(menu).toContain("Kính chào");
    expect(menu).toMatch(/^1\. Họp phụ huynh$/m);
    expect(menu).toMatch(/^\d+\. Gửi phản ánh$/m);
    expect(t.zalo.sent({ chatId: lan.id }).every((s) => [...String(s.params.text)].length <= 2000)).toBe(true);

    const languages = await t.say(lan, numberOf(t.zalo, lan, /^Ngôn ngữ/));
    expect(languages).toMatch(/1\. Tiếng Việt\n2\. English/);
    expect(await t.say(lan, "2")).toContain("English from now on");
  });

  it("lets a number that matches nothing fall through as text (the flow asks again)", async () => {
    const minh: ZaloUser = { id: "8a1b2c3d4e5f60718293", display_name: "Minh" };
    await t.say(minh, "/ngonngu");
    const reply = await t.say(minh, "7");
    expect(reply).toContain("chưa nhận ra lựa chọn");
    // The Zalo Bot has no buttons: the re-prompt must not ask to press one.
    expect(reply).not.toMatch(/\bnút\b/);
    expect(reply).toMatch(/1\. Tiếng Việt\n2\. English/);
    // After a message without a list, a number is ordinary text again.
    expect(await t.say(minh, "huy")).toContain("hủy");
    expect(await t.app.db.conn.collection<{ _id: string }>("zalo_keyboards").countDocuments({ _id: `zalo-bot:${t.app.zalo!.account}:${minh.id}` })).toBe(0);
  });

  it("turns a number typed under a message the outbox sent (outside any conversation) into that button, via the list kept in MongoDB", async () => {
    const an: ZaloUser = { id: "a1a2a3a4a5a6a7a8a9a0", display_name: "An" };
    await t.say(an, "trogiup");
    const address = { channel: "zalo-bot" as const, account: t.app.zalo!.account, userId: an.id, chatId: an.id };
    // The bulk sender is what the outbox worker uses; this payload names no action, so pressing it is "stale".
    await t.app.zalo!.bulk.send(address, { kind: "text", text: "Kính mời Quý phụ huynh dự họp.", buttons: [[{ label: "Tham dự", payload: "zz-gone-y" }]] });
    expect(await t.app.db.conn.collection<{ _id: string }>("zalo_keyboards").countDocuments({ _id: `zalo-bot:${address.account}:${an.id}` })).toBe(1);
    expect(await t.say(an, "1")).toContain("nút này đã hết hiệu lực");
  });

  it("marks a person who blocked the bot unreachable when a reply bounces", async () => {
    const hoa: ZaloUser = { id: "ffeeddccbbaa99887766", display_name: "Hoa" };
    await t.say(hoa, `start ${demo.codes.guardians[1]!.code}`);
    await t.say(hoa, "1");
    t.zalo.block(hoa.id);
    await t.say(hoa, "menu");
    await eventually(async () => (await t.app.db.models.ChannelIdentity.findOne({ externalUserId: hoa.id }).lean())?.reachable === false);
  });
});

describe("Zalo Bot webhook mode", () => {
  let t: ZaloTestApp;
  beforeAll(async () => { t = await startZaloApp("zalo-webhook", { webhook: true, fake: { webhookForm: "flat" } }); });
  afterAll(async () => { await t?.stop(); });

  const post = (body: string, secret?: string) =>
    fetch(`${t.app.url}/zalo/webhook`, { method: "POST", headers: { "content-type": "application/json", ...(secret ? { "x-bot-api-secret-token": secret } : {}) }, body });

  it("registers the webhook with its secret and never long-polls", () => {
    expect(t.zalo.calls("setWebhook")[0]?.params).toMatchObject({ url: "http://127.0.0.1:1/zalo/webhook", secret_token: ZALO_SECRET });
    expect(t.zalo.calls("getUpdates")).toHaveLength(0);
  });

  it("handles deliveries carrying the secret", async () => {
    const giang: ZaloUser = { id: "0a0b0c0d0e0f10111213", display_name: "Giang" };
    expect(await t.say(giang, "trogiup")).toContain("mã liên kết");
    // The turn is complete before the fake has read our 200: wait for the answers, then check them all.
    await eventually(() => t.zalo.webhookDeliveries().every((d) => d.status !== null));
    expect(t.zalo.webhookDeliveries().length).toBeGreaterThan(0);
    expect(t.zalo.webhookDeliveries().every((d) => d.secretSent && d.status === 200)).toBe(true);
  });

  it("answers 401 to a wrong or missing secret, 400 to a malformed or oversized body, and keeps running", async () => {
    const update = JSON.stringify({ event_name: "message.text.received", message: { message_id: "w1", date: 1, from: { id: "u1", is_bot: false }, chat: { id: "u1", chat_type: "PRIVATE" }, text: "trogiup" } });
    expect((await post(update, "wrong-secret-123")).status).toBe(401);
    expect((await post(update, ZALO_SECRET.slice(0, -1))).status).toBe(401);
    expect((await post(update)).status).toBe(401);
    expect((await post("{not json", ZALO_SECRET)).status).toBe(400);
    expect((await post(JSON.stringify({ hello: 1 }), ZALO_SECRET)).status).toBe(400);
    expect((await post(JSON.stringify({ event_name: "x", junk: "x".repeat(1_100_000) }), ZALO_SECRET)).status).toBe(400);
    expect((await fetch(`${t.app.url}/healthz`)).status).toBe(200);
    expect(await t.app.db.models.ProcessedEvent.countDocuments({ _id: `zalo-bot:${t.app.zalo!.account}:w1` })).toBe(0);
  });
});
