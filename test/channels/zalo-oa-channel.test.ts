import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ZaloOaClient } from "../../src/channels/zalo-oa/client.js";
import { ZaloOaChannel } from "../../src/channels/zalo-oa/oa-channel.js";
import { deliverViaOa, type OaDeliveryRequest } from "../../src/channels/zalo-oa/deliver.js";
import type { OaActivity } from "../../src/channels/zalo-oa/parse-event.js";
import type { KeyboardMemory } from "../../src/engine/ports.js";
import type { Button, InboundEvent } from "../../src/engine/messages.js";
import type { Receiver } from "../../src/engine/receiver.js";
import { FakeZaloOa } from "../support/fake-zalo-oa.js";
import { eventually } from "../support/eventually.js";

const HOUR = 3_600_000;
const USER = "8437291047362518273";

/** The keyboard port in memory (the app uses MongoDB: src/store/keyboards.ts). */
function memoryKeyboards(): KeyboardMemory {
  const kept = new Map<string, { buttons: Button[]; sentAt: Date; messageRef?: string }>();
  return {
    async remember(chatKey, buttons, messageRef) {
      if (buttons.length === 0) kept.delete(chatKey);
      else kept.set(chatKey, { buttons, sentAt: new Date(), ...(messageRef ? { messageRef } : {}) });
    },
    async recall(chatKey) { return kept.get(chatKey); },
  };
}

function recordingReceiver(down = () => false) {
  const recorded: InboundEvent[] = [], processed: string[] = [];
  const receiver: Pick<Receiver, "record" | "process"> = {
    record: async (e) => {
      if (down()) throw new Error("MongoNetworkError");
      if (recorded.some((r) => r.id === e.id)) return "duplicate";
      recorded.push(e);
      return "new";
    },
    process: async (e) => { processed.push(e.id); return { status: "ignored", reason: "unsupported" }; },
  };
  return { receiver, recorded, processed };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe("Zalo OA channel and routed delivery (against the fake OA)", () => {
  let fake: FakeZaloOa;
  let client: ZaloOaClient;
  let token: string;
  const tokens = { withAccessToken: <T>(_oa: string, call: (t: string) => Promise<T>) => call(token) };

  beforeEach(async () => {
    fake = await FakeZaloOa.start();
    client = new ZaloOaClient({ apiRoot: fake.url, oauthRoot: fake.url, businessRoot: fake.url, appId: fake.appId, appSecret: fake.appSecret });
    token = fake.issueTokens().accessToken;
  });
  afterEach(() => fake.close());

  const channel = (o: { buttons?: "oa-query" | "numbered"; activity?: OaActivity[] } = {}) => new ZaloOaChannel({
    oaId: fake.oaId, client, tokens, keyboards: memoryKeyboards(), commandWords: ["lienket", "menu"], render: { buttons: o.buttons ?? "oa-query" },
    webhook: { appId: fake.appId, oaSecret: fake.oaSecret, formulas: ["app-id+oa-secret"] }, logger: silent,
    ...(o.activity ? { onActivity: async (a: OaActivity) => void o.activity!.push(a) } : {}),
  });
  const webhook = (ch: ZaloOaChannel, r: ReturnType<typeof recordingReceiver>, event: Record<string, unknown>, signature?: string | false) => {
    const raw = JSON.stringify(event);
    const sig = signature === undefined ? fake.sign(raw, String(event.timestamp)) : signature || undefined;
    return ch.handleWebhook(r.receiver, sig, raw);
  };

  describe("webhook", () => {
    it("answers the {} probe and refuses a bad signature without recording anything", async () => {
      const ch = channel(), r = recordingReceiver();
      expect(await ch.handleWebhook(r.receiver, undefined, "{}")).toBe(200);
      const event = fake.userEvent(USER, "user_send_text", { text: "LK K7M2Q9XD4RT8B" });
      expect(await webhook(ch, r, event, fake.sign(JSON.stringify(event), String(event.timestamp), "nope"))).toBe(401);
      expect(await webhook(ch, r, event, false)).toBe(401);
      expect(r.recorded).toEqual([]);
    });

    it("records a signed event, answers 200, handles it, and dedupes Zalo's redelivery", async () => {
      const activity: OaActivity[] = [];
      const ch = channel({ activity }), r = recordingReceiver();
      const event = fake.userEvent(USER, "user_send_text", { text: "LK K7M2Q9XD4RT8B" });
      expect(await webhook(ch, r, event)).toBe(200);
      expect(await webhook(ch, r, event)).toBe(200);
      expect(r.recorded).toHaveLength(1);
      expect(r.recorded[0]).toMatchObject({ kind: "command", command: "lienket", args: "K7M2Q9XD4RT8B", address: { channel: "zalo-oa", account: fake.oaId, userId: USER } });
      await eventually(() => expect(r.processed).toEqual([r.recorded[0]!.id]));
      expect(activity[0]).toMatchObject({ interaction: true, userId: USER });
    });

    it("ignores unknown events with 200, reports follow/unfollow, and answers 500 while the inbox is down", async () => {
      const activity: OaActivity[] = [];
      let down = false;
      const ch = channel({ activity }), r = recordingReceiver(() => down);
      expect(await webhook(ch, r, fake.userEvent(USER, "user_send_sticker", { attachments: [{ type: "sticker", payload: { url: "https://s" } }] }))).toBe(200);
      expect(await webhook(ch, r, fake.userEvent(USER, "follow"))).toBe(200);
      expect(r.recorded).toEqual([]);
      expect(activity.map((a) => a.follow)).toContain("follow");
      down = true;
      expect(await webhook(ch, r, fake.userEvent(USER, "unfollow"))).toBe(500);
      down = false;
      expect(await webhook(ch, r, fake.userEvent(USER, "unfollow"))).toBe(200);
      expect(r.recorded.map((e) => e.kind)).toEqual(["blocked"]);
    });
  });

  describe("sender", () => {
    it("sends OA buttons, or a numbered list whose typed number comes back as the button", async () => {
      fake.follow(USER);
      const address = { channel: "zalo-oa" as const, account: fake.oaId, userId: USER, chatId: USER };
      const outbound = { kind: "text" as const, text: "Kính mời Quý phụ huynh dự họp.", buttons: [[{ label: "Tham dự", payload: "rsvp-m1-y" }, { label: "Vắng", payload: "rsvp-m1-n" }]] };
      await channel().sender.send(address, outbound);
      expect(JSON.stringify(fake.sent[0]!.message)).toContain('"payload":"#rsvp-m1-y"');
      const numbered = channel({ buttons: "numbered" }), r = recordingReceiver();
      await numbered.sender.send(address, outbound);
      expect((fake.sent[1]!.message as { text: string }).text).toContain("2. Vắng");
      expect(await webhook(numbered, r, fake.userEvent(USER, "user_send_text", { text: "2" }))).toBe(200);
      expect(r.recorded[0]).toMatchObject({ kind: "button", payload: "rsvp-m1-n" });
    });

    it("remembers real OA buttons in the order shown (a message without buttons leaves them); a typed number is left to the engine", async () => {
      fake.follow(USER);
      const address = { channel: "zalo-oa" as const, account: fake.oaId, userId: USER, chatId: USER };
      const keyboards = memoryKeyboards();
      const ch = new ZaloOaChannel({
        oaId: fake.oaId, client, tokens, keyboards, commandWords: [], render: { buttons: "oa-query" },
        webhook: { appId: fake.appId, oaSecret: fake.oaSecret, formulas: ["app-id+oa-secret"] }, logger: silent,
      });
      const key = `zalo-oa:${fake.oaId}:${USER}`;
      await ch.sender.send(address, { kind: "text", text: "Kính mời.", buttons: [[{ label: "Tham dự", payload: "rsvp-m1-y" }, { label: "Vắng", payload: "rsvp-m1-n" }], [{ label: "✖ Hủy", payload: "c-_cancel" }]] });
      await ch.sender.send(address, { kind: "text", text: "Xin cảm ơn Quý phụ huynh." });
      const last = await keyboards.recall(key);
      // The cancel button is typed as a word («hủy»), never a number, as on Telegram.
      expect(last?.buttons).toEqual([{ label: "Tham dự", payload: "rsvp-m1-y" }, { label: "Vắng", payload: "rsvp-m1-n" }]);
      expect(last?.messageRef).toMatch(/^oa:./); // shown as real buttons, without numbers
      // No number was shown: «2» is read by the engine outside a step (a press of «Vắng»), by the step inside one.
      const r = recordingReceiver();
      expect(await webhook(ch, r, fake.userEvent(USER, "user_send_text", { text: "2" }))).toBe(200);
      expect(r.recorded[0]).toMatchObject({ kind: "text", text: "2" });
    });

    it("turns an unfollowed guardian into a 'blocked' ChannelError", async () => {
      const address = { channel: "zalo-oa" as const, account: fake.oaId, userId: USER, chatId: USER };
      await expect(channel().sender.send(address, { kind: "text", text: "x" })).rejects.toMatchObject({ name: "ChannelError", code: "blocked" });
    });
  });

  describe("deliverViaOa", () => {
    const request = (over: Partial<OaDeliveryRequest["routing"]> = {}, extra: Partial<OaDeliveryRequest> = {}): OaDeliveryRequest => ({
      oaId: fake.oaId, outbound: [{ kind: "text", text: "Kính gửi Quý phụ huynh: lịch họp lớp 6A." }],
      routing: { now: new Date(fake.now), lastInteractionAt: new Date(fake.now - 47 * HOUR), follower: true, oaUserId: USER, phoneShared: false, messageKind: "meeting-invitation",
        school: { paidSendsEnabled: false, templates: { "meeting-invitation": "tpl-meeting" } }, otherChannels: ["telegram"], ...over },
      template: { data: { class_name: "6A" }, trackingId: "m1-g1" }, ...extra,
    });
    const deps = () => ({ client, tokens, render: { buttons: "oa-query" as const } });

    it("sends free consultation within 48 h", async () => {
      fake.follow(USER); fake.interact(USER, 47 * HOUR);
      expect(await deliverViaOa(deps(), request())).toMatchObject({ status: "sent", route: "consultation", cost: "free", failures: [] });
      expect(fake.sent).toHaveLength(1);
    });

    it("falls to the template when Zalo says the window closed (-230), and to the phone when the uid is refused", async () => {
      fake.follow(USER); fake.interact(USER, 8 * 24 * HOUR); // our record says 47 h, Zalo knows better
      fake.addTemplate({ id: "tpl-meeting", params: [{ name: "class_name", maxLength: 10 }] });
      const out = await deliverViaOa(deps(), request());
      expect(out).toMatchObject({ status: "sent", route: "template", by: "user-id", failures: [{ route: "consultation", klass: "window" }] });
      fake.registerPhone("84912345678");
      fake.injectFault({ endpoint: "template-uid", error: -227 });
      const viaPhone = await deliverViaOa(deps(), request({ phoneShared: true }, { phone: "0912345678" }));
      expect(viaPhone).toMatchObject({ status: "sent", route: "template", by: "phone" });
      expect(fake.sent.map((s) => s.endpoint)).toEqual(["template-uid", "template-phone"]);
    });

    it("hands over to the other channel when the template is rejected, and holds when there is none", async () => {
      const noWindow = { lastInteractionAt: new Date(fake.now - 8 * 24 * HOUR) };
      expect(await deliverViaOa(deps(), request(noWindow))).toMatchObject({ status: "other-channel", channel: "telegram", failures: [{ route: "template-user-id", klass: "config" }] });
      expect(await deliverViaOa(deps(), request({ ...noWindow, otherChannels: [] }))).toMatchObject({ status: "held", reason: "all-routes-failed" });
      expect(fake.sent).toEqual([]);
    });

    it("holds until 06:00 when the template meets the night ban and no other channel exists", async () => {
      fake.addTemplate({ id: "tpl-meeting", params: [] });
      fake.templateNightBan = true;
      fake.now = Date.UTC(2026, 9, 5, 16, 30); // 23:30 in Hà Nội
      const out = await deliverViaOa(deps(), request({ now: new Date(fake.now), lastInteractionAt: undefined, otherChannels: [] }));
      expect(out).toMatchObject({ status: "held", reason: "template-deferred", retryAt: new Date("2026-10-05T23:00:00Z") });
    });
  });
});
