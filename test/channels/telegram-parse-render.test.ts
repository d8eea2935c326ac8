import { describe, it, expect } from "vitest";
import { parseTelegramUpdate } from "../../src/channels/telegram/parse-update.js";
import { renderTelegram } from "../../src/channels/telegram/render-outbound.js";

const from = { id: 5550001111, is_bot: false, first_name: "Lan", language_code: "vi" };
const chat = { id: 5550001111, type: "private", first_name: "Lan" };

describe("parseTelegramUpdate", () => {
  it("turns a deep-link /start into a command with string ids", () => {
    const ev = parseTelegramUpdate({ update_id: 512000101, message: { message_id: 17, date: 1795339200, from, chat, text: "/start INV7Kx2q9", entities: [{ type: "bot_command", offset: 0, length: 6 }] } }, "123");
    expect(ev).toMatchObject({ id: "telegram:123:512000101:m1795339200", kind: "command", command: "start", args: "INV7Kx2q9", addressedToBot: true,
      address: { channel: "telegram", account: "123", userId: "5550001111", chatId: "5550001111" }, chatType: "private", localeHint: "vi" });
  });

  it("turns a callback query into a button press", () => {
    const ev = parseTelegramUpdate({ update_id: 2, callback_query: { id: "43829", from, chat_instance: "-8", data: "rsvp-m42-y", message: { message_id: 18, date: 1, chat } } }, "123");
    expect(ev).toMatchObject({ kind: "button", payload: "rsvp-m42-y" });
  });

  it("gives a reused update_id (Telegram restarts the count after a week of silence) a new event id, and a redelivered update the same one", () => {
    const old = { update_id: 700, message: { message_id: 3, date: 1795339200, from, chat, text: "/menu" } };
    const reused = { update_id: 700, message: { message_id: 90, date: 1796000000, from, chat, text: "/menu" } };
    const press = (id: string) => ({ update_id: 700, callback_query: { id, from, chat_instance: "-8", data: "rsvp-m42-y", message: { message_id: 18, date: 1795339200, chat } } });
    expect(parseTelegramUpdate(reused, "1")!.id).not.toBe(parseTelegramUpdate(old, "1")!.id);
    expect(parseTelegramUpdate(press("43829"), "1")!.id).not.toBe(parseTelegramUpdate(press("99112"), "1")!.id);
    expect(new Set([old, reused, press("43829")].map((u) => parseTelegramUpdate(u, "1")!.id)).size).toBe(3);
    expect(parseTelegramUpdate(structuredClone(old), "1")!.id).toBe(parseTelegramUpdate(old, "1")!.id);
    expect(parseTelegramUpdate(press("43829"), "1")!.id).toBe("telegram:1:700:q43829");
  });

  it("knows group commands meant for another bot", () => {
    const group = { id: -100123, type: "supergroup", title: "6A1" };
    const other = parseTelegramUpdate({ update_id: 3, message: { message_id: 1, date: 1, from, chat: group, text: "/menu@other_bot" } }, "123", "so_lien_lac_bot");
    expect(other).toMatchObject({ kind: "command", chatType: "group", addressedToBot: false });
    const ours = parseTelegramUpdate({ update_id: 4, message: { message_id: 1, date: 1, from, chat: group, text: "/menu@so_lien_lac_bot" } }, "123", "so_lien_lac_bot");
    expect(ours).toMatchObject({ addressedToBot: true });
  });

  it("reads a block as 'blocked' and photos and documents as attachments", () => {
    expect(parseTelegramUpdate({ update_id: 5, my_chat_member: { from, chat, date: 1, old_chat_member: { status: "member" }, new_chat_member: { status: "kicked" } } }, "1")).toMatchObject({ kind: "blocked" });
    expect(parseTelegramUpdate({ update_id: 6, message: { message_id: 2, date: 1, from, chat, photo: [{ file_id: "small", file_size: 10 }, { file_id: "big", file_size: 900 }] } }, "1"))
      .toMatchObject({ kind: "attachment", media: "photo", fileRef: "big", sizeBytes: 900 });
    expect(parseTelegramUpdate({ update_id: 7, message: { message_id: 3, date: 1, from, chat, document: { file_id: "d1", file_name: "cong-van.pdf", file_size: 5 } } }, "1"))
      .toMatchObject({ kind: "attachment", media: "document", fileName: "cong-van.pdf" });
  });

  it("is total: junk gives undefined, never a throw", () => {
    for (const junk of [null, 1, "x", [], {}, { update_id: "1" }, { update_id: 1 }, { update_id: 1, message: { text: "hi" } }, { update_id: 1, callback_query: { from } }, { update_id: 1, edited_message: {} }])
      expect(parseTelegramUpdate(junk, "1")).toBeUndefined();
  });
});

describe("renderTelegram", () => {
  it("splits texts past 4096 characters and puts the buttons on the last part", () => {
    const text = "Kính gửi Quý phụ huynh. ".repeat(400);
    const calls = renderTelegram({ kind: "text", text, buttons: [[{ label: "Đã xem", payload: "ack-1" }]] });
    expect(calls.length).toBe(3);
    expect(calls.every((c) => c.method === "sendMessage" && [...c.params.text].length <= 4096)).toBe(true);
    expect(calls.map((c) => "reply_markup" in c.params)).toEqual([false, false, true]);
  });

  it("refuses a button payload over 64 bytes (a bug, never user text)", () => {
    expect(() => renderTelegram({ kind: "text", text: "x", buttons: [[{ label: "x", payload: "đ".repeat(33) }]] })).toThrow(/64 bytes/);
  });

  it("moves a caption over 1024 characters into a follow-up message", () => {
    const calls = renderTelegram({ kind: "file", media: "document", fileRef: "f1", caption: "x".repeat(1500) });
    expect(calls.map((c) => c.method)).toEqual(["sendDocument", "sendMessage"]);
  });
});
