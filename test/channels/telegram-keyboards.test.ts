/**
 * The Telegram sender remembers the buttons of the last message that carried some to a chat,
 * with that message's id (`KeyboardMemory`), for the engine's typed presses; through the fake
 * Bot API. The memory is the port's contract in memory (the app's is src/store/keyboards.ts).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { TelegramChannel } from "../../src/channels/telegram/telegram-channel.js";
import type { Button } from "../../src/engine/messages.js";
import type { KeyboardMemory, RememberedKeyboard } from "../../src/engine/ports.js";
import { FakeTelegram } from "../support/fake-telegram.js";

function memoryKeyboards() {
  const kept = new Map<string, RememberedKeyboard>();
  const memory: KeyboardMemory & { down: boolean } = {
    down: false,
    async remember(chatKey: string, buttons: Button[], messageRef?: string) {
      if (memory.down) throw new Error("MongoNetworkError");
      if (buttons.length === 0) kept.delete(chatKey);
      else kept.set(chatKey, { buttons, sentAt: new Date(), ...(messageRef ? { messageRef } : {}) });
    },
    async recall(chatKey: string) { return kept.get(chatKey); },
    async replaceUnder(chatKey: string, messageRef: string, buttons: Button[]) {
      if (kept.get(chatKey)?.messageRef !== messageRef) return;
      if (buttons.length === 0) kept.delete(chatKey);
      else kept.set(chatKey, { ...kept.get(chatKey)!, buttons });
    },
  };
  return { memory, kept };
}

describe("Telegram: the last buttons sent to a chat", () => {
  let fake: FakeTelegram;
  beforeAll(async () => { fake = await FakeTelegram.start(); fake.knownChat(7500001, { first_name: "Hoa" }); });
  afterAll(async () => { await fake?.close(); });
  const warnings: string[] = [];
  const logger = { info() {}, warn: (_o: object, msg: string) => void warnings.push(msg), error() {} };
  const address = { channel: "telegram" as const, account: "123456", userId: "7500001", chatId: "7500001" };
  const chatKey = "telegram:123456:7500001";

  it("are remembered with their message id, left by a message without buttons, forgotten by one with only navigation buttons or by an edit that removes them", async () => {
    const { memory, kept } = memoryKeyboards();
    const channel = new TelegramChannel({ token: fake.token, apiRoot: fake.apiRoot, logger, keyboards: memory });
    const ballot = { kind: "text" as const, text: "Kính gửi Quý phụ huynh em An: chọn ngày dã ngoại?", buttons: [[{ label: "Thứ Bảy", payload: "pv-p1-0-0" }, { label: "Chủ Nhật", payload: "pv-p1-0-1" }], [{ label: "✖ Hủy", payload: "c-_cancel" }]] };
    await channel.bulk.send(address, ballot);
    const id = String(fake.sent({ chatId: 7500001 }).at(-1)!.message!.message_id);
    expect(kept.get(chatKey)).toMatchObject({ buttons: ballot.buttons[0], messageRef: id });

    await channel.interactive.send(address, { kind: "text", text: "Dạ, em đã ghi nhận ạ." });
    expect(kept.get(chatKey)?.messageRef).toBe(id);
    await channel.interactive.send(address, { kind: "text", text: "Dạ, đã hủy.", editRef: String(Number(id) + 100) });
    expect(kept.get(chatKey)?.messageRef).toBe(id);
    await channel.interactive.send(address, { kind: "text", text: "Dạ, phiếu đã đóng.", editRef: id });
    expect(kept.has(chatKey)).toBe(false);

    await channel.bulk.send(address, ballot);
    await channel.interactive.send(address, { kind: "text", text: "Dạ, mời viết nội dung.", buttons: [[{ label: "✖ Hủy", payload: "c-_cancel" }]] });
    expect(kept.has(chatKey)).toBe(false);
  });

  it("a message already shown is not sent again when its buttons cannot be remembered", async () => {
    const { memory } = memoryKeyboards();
    const channel = new TelegramChannel({ token: fake.token, apiRoot: fake.apiRoot, logger, keyboards: memory });
    memory.down = true;
    const before = fake.sent({ chatId: 7500001 }).length;
    await channel.bulk.send(address, { kind: "text", text: "Kính mời.", buttons: [[{ label: "Tham dự", payload: "mr-m1-y" }]] });
    expect(fake.sent({ chatId: 7500001 }).length).toBe(before + 1);
    expect(warnings).toContain("telegram keyboard not remembered");
  });
});
