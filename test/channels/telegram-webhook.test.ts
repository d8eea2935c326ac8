import { describe, it, expect, afterAll } from "vitest";
import { TelegramChannel } from "../../src/channels/telegram/telegram-channel.js";
import type { Receiver } from "../../src/engine/receiver.js";
import { FakeTelegram } from "../support/fake-telegram.js";

describe("TelegramChannel.handleWebhook", () => {
  let fake: FakeTelegram;
  afterAll(async () => { await fake?.close(); });
  const logger = { info() {}, warn() {}, error() {} };

  it("answers 500 while the update cannot be recorded (so Telegram redelivers it), 200 once it can", async () => {
    fake = await FakeTelegram.start();
    const channel = new TelegramChannel({ token: fake.token, apiRoot: fake.apiRoot, logger });
    let databaseUp = false;
    const handled: string[] = [];
    const receiver = {
      record: async (e: { id: string }) => { if (!databaseUp) throw new Error("MongoNetworkError"); handled.push(e.id); return "new"; },
      process: async () => ({ status: "ignored", reason: "unsupported" }),
      processLater: () => undefined,
    } as unknown as Receiver;
    const body = JSON.stringify({ update_id: 9, message: { message_id: 1, date: 1, chat: { id: 1, type: "private" }, from: { id: 1, is_bot: false, first_name: "x" }, text: "hi" } });
    expect(await channel.handleWebhook(receiver, "s3cret", body, "s3cret")).toBe(500);
    databaseUp = true;
    expect(await channel.handleWebhook(receiver, "s3cret", body, "s3cret")).toBe(200);
    expect(handled).toEqual(["telegram:123456:9:m1"]);
  });
});
