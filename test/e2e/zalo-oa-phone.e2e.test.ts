/**
 * A guardian's phone for ZBS templates by phone, end to end on the OA: after linking, the OA
 * asks once (a `request_user_info` card stating the purpose); the `user_submit_info` answer is
 * the consent and is kept sealed (0… → 84…); when the guardian is outside every window and the
 * template has no UID variant, the notice goes as a ZBS template by phone (the fake's
 * business.openapi.zalo.me/message/template with its tracking id); `/quyenriengtu` shows the
 * number masked and `/xoadulieu` deletes it. The number is in no job and no delivery record.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import { say } from "../../src/engine/say.js";
import type { OutboxItem } from "../../src/engine/ports.js";
import { startOaApp, type OaTestApp } from "../support/oa-harness.js";
import { eventually } from "../support/eventually.js";

const TEMPLATE = "7895417a7d3f9461cd2e";
const DAY = 86_400_000;

describe("OA: a phone the guardian agreed to share, for templates by phone", () => {
  let t: OaTestApp;
  let demo: DemoSeed;
  const lan = "8123456789012340001";
  const cards = () => t.fake.sent.filter((s) => s.to === lan && (s.message?.attachment as { payload?: { template_type?: string } } | undefined)?.payload?.template_type === "request_user_info");
  const phones = () => t.app.db.conn.collection("zalo_oa_phones");
  beforeAll(async () => {
    t = await startOaApp("oa-phone", { env: { ZALO_OA_TEMPLATES: `notice=${TEMPLATE}` } });
    // An approved template without a UID variant (-249 by user id): only the phone route can carry it.
    t.fake.addTemplate({ id: TEMPLATE, params: [{ name: "noi_dung", maxLength: 400 }], uid: false });
    demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
  }, 60_000);
  afterAll(async () => { await t?.stop(); });

  it("after linking the OA asks once for the phone, with its purpose", async () => {
    await t.deliver(t.fake.userEvent(lan, "follow"));
    await t.say(lan, `LK ${demo.codes.guardians[0]!.code}`);
    expect(cards()).toHaveLength(0); // not linked yet
    await t.say(lan, t.button(lan, /đồng ý/i));
    await eventually(() => cards().length === 1, { timeoutMs: 20_000, message: "no phone card after linking" });
    const element = (cards()[0]!.message!.attachment as { payload: { elements: { title: string; subtitle: string }[] } }).payload.elements[0]!;
    expect(element.subtitle).toMatch(/chỉ dùng số điện thoại này để gửi tin mẫu/);
    expect(element.subtitle).toContain("/xoadulieu");
    await t.say(lan, "xin chào");
    await t.say(lan, "/trogiup");
    expect(cards()).toHaveLength(1);
  });

  it("the submitted phone is kept sealed with its consent; a template by phone reaches the guardian outside every window", async () => {
    expect(await t.deliver(t.fake.submitInfo(lan, { name: "Lan", phone: "0912 345 678" }))).toBe(200);
    const identity = (await t.app.db.models.ChannelIdentity.findOne({ channel: "zalo-oa", externalUserId: lan }).lean())!;
    await eventually(async () => (await phones().countDocuments({ identityId: identity._id, kind: "phone" })) === 1);
    const stored = (await phones().findOne({ identityId: identity._id, kind: "phone" }))!;
    expect(JSON.stringify(stored)).not.toMatch(/912\s?345\s?678/);
    expect(stored.consent).toMatchObject({ purpose: "zbs-template-outside-window" });
    expect(String(stored.consent.text)).toContain("chỉ dùng");
    t.fake.registerPhone("84912345678");

    t.advance(8 * DAY); // no window left; the template has no UID variant
    const outbox = t.app.services.outbox as unknown as { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> };
    const recipient = { channel: "zalo-oa" as const, account: t.fake.oaId, userId: lan, chatId: lan };
    await outbox.enqueueGroup("n-phone", [{ key: "ph1", recipient, messages: [say("zalo-oa-reconnected")] }]);
    await eventually(async () => (await t.app.db.models.DeliveryMark.findById("ph1|sent").lean()) !== null, { timeoutMs: 15_000, message: "not sent by phone" });
    expect((await t.app.db.models.DeliveryMark.findById("ph1|route-1").lean())!.error).toBe("template:phone:template");
    const sent = t.fake.sent.at(-1)!;
    expect(sent).toMatchObject({ endpoint: "template-phone", to: "84912345678", templateId: TEMPLATE });
    expect(sent.trackingId!.length).toBeLessThanOrEqual(48);
    // The number travels in neither the delivery record nor its job.
    expect(JSON.stringify(await t.app.db.models.Delivery.findById("ph1").lean())).not.toContain("912345678");
    const job = await t.app.queues.outbox.getJob("d-ph1");
    expect(JSON.stringify(job?.data ?? {})).not.toContain("912345678");
  });

  it("a phone without a Zalo account (-118): the next route (held), reported", async () => {
    const identity = (await t.app.db.models.ChannelIdentity.findOne({ channel: "zalo-oa", externalUserId: lan }).lean())!;
    t.advance(1_000);
    expect(await t.deliver(t.fake.submitInfo(lan, { phone: "0987654321" }))).toBe(200); // a newer answer: this number now
    await eventually(async () => (await phones().countDocuments({ identityId: identity._id, kind: "phone" })) === 2);
    t.advance(8 * DAY);
    const outbox = t.app.services.outbox as unknown as { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> };
    await outbox.enqueueGroup("n-phone2", [{ key: "ph2", recipient: { channel: "zalo-oa" as const, account: t.fake.oaId, userId: lan, chatId: lan }, messages: [say("zalo-oa-reconnected")] }]);
    await eventually(async () => (await t.app.db.models.DeliveryMark.findById("ph2|route-1").lean()) !== null, { timeoutMs: 15_000 });
    expect((await t.app.db.models.DeliveryMark.findById("ph2|route-1").lean())!.error).toBe("hold:all-routes-failed:none");
    expect(t.fake.sent.filter((s) => s.to === "84987654321")).toHaveLength(0);
  });

  it("the OA menu item '#oa-phone' shows the card again on request (no turn is made)", async () => {
    const turns = await t.app.db.models.ProcessedEvent.countDocuments({});
    expect(await t.deliver(t.fake.userEvent(lan, "user_send_text", { text: "#oa-phone" }))).toBe(200);
    await eventually(() => cards().length === 2, { timeoutMs: 20_000, message: "no card from the menu item" });
    expect(await t.app.db.models.ProcessedEvent.countDocuments({})).toBe(turns);
  });

  it("/quyenriengtu shows the phone masked; /xoadulieu deletes it", async () => {
    const report = await t.say(lan, "/quyenriengtu");
    expect(report).toContain("••••4321");
    expect(report).not.toContain("987654321");
    await t.say(lan, "/xoadulieu");
    await t.say(lan, t.button(lan, /Xóa dữ liệu của tôi/));
    expect(await phones().countDocuments({})).toBe(0);
    // Nothing of the OA follower is left in the OA's own collections either.
    for (const name of ["zalo_oa_phones", "zalo_oa_activity", "zalo_oa_held"]) {
      const left = (await t.app.db.conn.collection(name).find({}).toArray()).filter((d) => JSON.stringify(d).includes(lan));
      expect(left, name).toEqual([]);
    }
  });
});
