import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { ZaloBotChannel } from "../../src/channels/zalo/zalo-channel.js";
import type { KeyboardMemory } from "../../src/engine/ports.js";
import type { Receiver } from "../../src/engine/receiver.js";
import type { Button, InboundEvent } from "../../src/engine/messages.js";
import { ChannelError } from "../../src/engine/errors.js";
import { FakeZalo, type ZaloUser } from "../support/fake-zalo.js";
import { eventually } from "../support/eventually.js";

/** The port's contract in memory (the app uses MongoDB: src/store/keyboards.ts). */
function memoryKeyboards(): KeyboardMemory & { at: Date } {
  const kept = new Map<string, { buttons: Button[]; sentAt: Date }>();
  const self = {
    at: new Date(),
    async remember(chatKey: string, buttons: Button[]) { if (buttons.length === 0) kept.delete(chatKey); else kept.set(chatKey, { buttons, sentAt: self.at }); },
    async recall(chatKey: string) { return kept.get(chatKey); },
  };
  return self;
}

function recordingReceiver(options: { down?: () => boolean } = {}) {
  const recorded: InboundEvent[] = [];
  const receiver = {
    record: async (e: InboundEvent) => {
      if (options.down?.()) throw new Error("MongoNetworkError");
      if (recorded.some((r) => r.id === e.id)) return "duplicate";
      recorded.push(e);
      return "new";
    },
    process: async () => ({ status: "ignored", reason: "unsupported" }),
    processLater: () => undefined,
  } as unknown as Receiver;
  return { receiver, recorded };
}

const logger = { info() {}, warn() {}, error() {} };
const lan: ZaloUser = { id: "6ede9afa66b88fe6d6a9", display_name: "Lan" };

describe("ZaloBotChannel", () => {
  let fake: FakeZalo;
  let keyboards: ReturnType<typeof memoryKeyboards>;
  let channel: ZaloBotChannel;
  const now = { value: new Date() };
  beforeEach(async () => {
    fake = await FakeZalo.start();
    keyboards = memoryKeyboards();
    now.value = keyboards.at;
    channel = new ZaloBotChannel({ token: fake.token, apiRoot: fake.apiRoot, logger, keyboards, commandWords: ["menu", "huy"], now: () => now.value });
  });
  afterEach(async () => { await channel.stop(); await fake.close(); });

  const address = { channel: "zalo-bot" as const, account: "1357924680", userId: lan.id, chatId: lan.id };

  it("turns a typed number under an outbox message into that button's press, outside any conversation", async () => {
    const { receiver, recorded } = recordingReceiver();
    fake.userMessage(lan, "xin chào"); // Zalo only lets a bot write to chats that wrote first
    await channel.bulk.send(address, { kind: "text", text: "Kính mời Quý phụ huynh dự họp.", buttons: [[{ label: "Tham dự", payload: "mr-42-y" }, { label: "Không tham dự", payload: "mr-42-n" }]] });
    expect(fake.texts(lan.id)[0]).toContain("1. Tham dự\n2. Không tham dự");

    await channel.accept(receiver, fake.userMessage(lan, "2"));
    await channel.accept(receiver, fake.userMessage(lan, "3"));
    await channel.accept(receiver, fake.userMessage(lan, "2 ạ"));
    expect(recorded.map((e) => (e.kind === "button" ? `button ${e.payload}` : e.kind === "text" ? `text ${e.text}` : e.kind))).toEqual(["button mr-42-n", "text 3", "text 2 ạ"]);
  });

  it("forgets the list once a message without buttons was sent, or after a week", async () => {
    const { receiver, recorded } = recordingReceiver();
    fake.userMessage(lan, "hi");
    const withList = { kind: "text" as const, text: "Chọn ạ", buttons: [[{ label: "Có", payload: "c-yes" }]] };
    await channel.interactive.send(address, withList);
    await channel.interactive.send(address, { kind: "text", text: "Cảm ơn ạ." });
    await channel.accept(receiver, fake.userMessage(lan, "1"));
    await channel.interactive.send(address, withList);
    now.value = new Date(keyboards.at.getTime() + 8 * 86_400_000);
    await channel.accept(receiver, fake.userMessage(lan, "1"));
    expect(recorded.map((e) => e.kind)).toEqual(["text", "text"]);
  });

  it("answers the webhook 401 for a wrong secret, 400 when malformed, 500 until the update can be recorded", async () => {
    let down = true;
    const { receiver, recorded } = recordingReceiver({ down: () => down });
    const body = JSON.stringify({ ok: true, result: { event_name: "message.text.received", message: { message_id: "m9", date: 1, from: { id: "u1", is_bot: false }, chat: { id: "u1", chat_type: "PRIVATE" }, text: "menu" } } });
    expect(await channel.handleWebhook(receiver, "wrong-secret", body, "s3cret-token")).toBe(401);
    expect(await channel.handleWebhook(receiver, undefined, body, "s3cret-token")).toBe(401);
    expect(await channel.handleWebhook(receiver, "s3cret-token", "{nope", "s3cret-token")).toBe(400);
    expect(await channel.handleWebhook(receiver, "s3cret-token", "[1,2]", "s3cret-token")).toBe(400);
    expect(await channel.handleWebhook(receiver, "s3cret-token", body, "s3cret-token")).toBe(500);
    down = false;
    expect(await channel.handleWebhook(receiver, "s3cret-token", body, "s3cret-token")).toBe(200);
    expect(await channel.handleWebhook(receiver, "s3cret-token", body, "s3cret-token")).toBe(200);
    expect(recorded).toEqual([expect.objectContaining({ id: "zalo-bot:1357924680:m9", kind: "command", command: "menu" })]);
  });

  it("polls one update at a time and asks for the next only after the current one was recorded", async () => {
    let down = true, refused = 0;
    const { receiver, recorded } = recordingReceiver({ down: () => (down ? (refused++, true) : false) });
    await channel.startPolling(receiver, { timeoutSeconds: 1 });
    const first = fake.userMessage(lan, "một");
    const second = fake.userMessage(lan, "hai");
    await eventually(() => refused >= 2);
    // The database is down: the first update is retried, the second is still waiting at Zalo.
    expect(fake.pendingUpdates()).toBe(1);
    expect(recorded).toHaveLength(0);
    down = false;
    await eventually(() => recorded.length === 2, { timeoutMs: 8000 });
    expect(recorded.map((e) => e.id)).toEqual([first, second].map((u) => `zalo-bot:1357924680:${u.message.message_id}`));
    expect(fake.calls("deleteWebhook")).toHaveLength(1);
  });

  it("keeps polling through idle timeouts (408) and server errors", async () => {
    const { receiver, recorded } = recordingReceiver();
    fake.injectFault({ method: "getUpdates", error_code: 502, httpStatus: 502, rawBody: "<html>Bad gateway</html>" });
    await channel.startPolling(receiver, { timeoutSeconds: 0 });
    await eventually(() => fake.calls("getUpdates").filter((c) => c.errorCode === 408).length >= 2);
    fake.userMessage(lan, "còn đó không?");
    await eventually(() => recorded.length === 1);
  });

  it("retries a short 429 for interactive replies, but hands it to the outbox untouched for bulk sends", async () => {
    fake.userMessage(lan, "hi");
    fake.injectFault({ method: "sendMessage", error_code: 429, retry_after: 0 });
    await channel.interactive.send(address, { kind: "text", text: "Dạ." });
    expect(fake.texts(lan.id)).toEqual(["Dạ."]);
    fake.injectFault({ method: "sendMessage", error_code: 429, retry_after: 7 });
    const err = await channel.bulk.send(address, { kind: "text", text: "Thông báo" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect(err).toMatchObject({ code: "rate-limited", retryAfterMs: 7000 });
  });

  it("reports a blocked user, a proxy page and a refused connection as blocked, server and network", async () => {
    fake.userMessage(lan, "hi");
    fake.block(lan.id);
    await expect(channel.bulk.send(address, { kind: "text", text: "x" })).rejects.toMatchObject({ code: "blocked" });
    fake.injectFault({ method: "sendMessage", error_code: 0, httpStatus: 403, rawBody: "<html>error code: 1010</html>" });
    await expect(channel.bulk.send({ ...address, chatId: "other" }, { kind: "text", text: "x" })).rejects.toMatchObject({ code: "server" });
    const nowhere = new ZaloBotChannel({ token: fake.token, apiRoot: "http://127.0.0.1:1", logger, keyboards, commandWords: [] });
    const err = await nowhere.bulk.send(address, { kind: "text", text: "x" }).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: "network" });
    expect(String((err as Error).message)).not.toContain(fake.token);
    await expect(nowhere.init()).rejects.toThrow(/getMe failed/);
  });

  it("sends a long text in parts the API accepts", async () => {
    fake.userMessage(lan, "hi");
    await channel.interactive.send(address, { kind: "text", text: "Kính gửi Quý phụ huynh. ".repeat(200), buttons: [[{ label: "Đã xem", payload: "ack" }]] });
    expect(fake.texts(lan.id).length).toBe(3);
    expect(fake.texts(lan.id).at(-1)).toContain("1. Đã xem");
  });
});
