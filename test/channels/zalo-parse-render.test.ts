import { describe, it, expect } from "vitest";
import { parseZaloUpdate, parseCommand } from "../../src/channels/zalo/parse-update.js";
import { parseJsonExact } from "../../src/channels/zalo/json.js";
import { renderZalo, pickByNumber, TEXT_LIMIT } from "../../src/channels/zalo/render-outbound.js";
import { toChannelError, ZaloApiError, ZaloNetworkError } from "../../src/channels/zalo/to-channel-error.js";
import type { ChannelError } from "../../src/engine/errors.js";
import { commands } from "../../flows/index.js";

const words = new Set([...Object.keys(commands), "huy", "cancel"]);
const from = { id: "6ede9afa66b88fe6d6a9", display_name: "Lan", is_bot: false };
const chat = { id: "6ede9afa66b88fe6d6a9", chat_type: "PRIVATE" };
const textUpdate = (text: string, extra: object = {}) =>
  ({ ok: true, result: { event_name: "message.text.received", message: { message_id: "2d758cb5e222177a4e35", date: 1750316131602, from, chat, text, ...extra } } });

describe("parseZaloUpdate", () => {
  it("reads a wrapped text update with string ids, millisecond dates and the display name", () => {
    expect(parseZaloUpdate(textUpdate("Xin chào"), "1234", words)).toEqual({
      id: "zalo-bot:1234:2d758cb5e222177a4e35", kind: "text", text: "Xin chào", chatType: "private", displayName: "Lan",
      address: { channel: "zalo-bot", account: "1234", userId: from.id, chatId: chat.id }, at: new Date(1750316131602),
    });
  });

  it("accepts the flat form seen in production as well", () => {
    expect(parseZaloUpdate(textUpdate("hi").result, "1", words)).toMatchObject({ kind: "text", text: "hi", id: "zalo-bot:1:2d758cb5e222177a4e35" });
  });

  it("keeps ids above 2^53 exact when the raw body carries them as bare numbers", () => {
    const raw = '{"ok":true,"result":{"event_name":"message.text.received","message":{"message_id":9007199254740993123,"date":1750316131602,'
      + '"from":{"id":12345678901234567890,"display_name":"Lan","is_bot":false},"chat":{"id":12345678901234567890,"chat_type":"PRIVATE"},"text":"x 12345678901234567890 \\" 99999999999999999999"}}}';
    const event = parseZaloUpdate(parseJsonExact(raw), "1", words);
    expect(event).toMatchObject({ id: "zalo-bot:1:9007199254740993123", address: { userId: "12345678901234567890", chatId: "12345678901234567890" } });
    // Digits inside a string are left alone.
    expect(event).toMatchObject({ kind: "text", text: 'x 12345678901234567890 " 99999999999999999999' });
    // Plain JSON.parse would have rounded it; such a lossy number is refused, never stored as a wrong id.
    expect(parseZaloUpdate(JSON.parse(raw), "1", words)).toBeUndefined();
  });

  it("understands commands with and without the slash, but only the known words", () => {
    expect(parseZaloUpdate(textUpdate("/start K7M2Q9XD4RT8B"), "1", words)).toMatchObject({ kind: "command", command: "start", args: "K7M2Q9XD4RT8B", addressedToBot: true });
    expect(parseZaloUpdate(textUpdate("start K7M2Q9XD4RT8B"), "1", words)).toMatchObject({ kind: "command", command: "start", args: "K7M2Q9XD4RT8B" });
    expect(parseZaloUpdate(textUpdate("Menu"), "1", words)).toMatchObject({ kind: "command", command: "menu", args: "" });
    expect(parseZaloUpdate(textUpdate("Hủy"), "1", words)).toMatchObject({ kind: "command", command: "huy" });
    expect(parseZaloUpdate(textUpdate("huy"), "1", words)).toMatchObject({ kind: "command", command: "huy" });
    expect(parseZaloUpdate(textUpdate("xin chào"), "1", words)).toMatchObject({ kind: "text" });
    expect(parseZaloUpdate(textUpdate("Họp phụ huynh là khi nào ạ?"), "1", words)).toMatchObject({ kind: "text" });
    expect(parseCommand("/unknown x", words)).toEqual({ command: "unknown", args: "x" });
    expect(parseCommand("unknown", words)).toBeUndefined();
  });

  it("reads a photo as an attachment with its public URL, and marks group chats", () => {
    const photo = { ok: true, result: { event_name: "message.image.received", message: { message_id: "m2", date: 1, from, chat: { id: "g1", chat_type: "GROUP" }, photo_url: "https://f.zalo.me/a.jpg", caption: "Bài tập" } } };
    expect(parseZaloUpdate(photo, "1", words)).toMatchObject({ kind: "attachment", media: "photo", fileRef: "https://f.zalo.me/a.jpg", caption: "Bài tập", chatType: "group" });
  });

  it("is total: junk, bots, stickers and unsupported messages give undefined, never a throw", () => {
    const m = { message_id: "m", date: 1, from, chat };
    for (const junk of [null, 1, "x", [], {}, { ok: false, error_code: 408 }, { result: 5 }, { message: "hi" }, { message: { text: "hi" } },
      { message: { ...m, text: 5 } }, { message: { ...m, from: { id: 1.5 }, text: "x" } }, { message: { ...m, from: { ...from, is_bot: true }, text: "x" } },
      { event_name: "message.sticker.received", message: { ...m, sticker: "s", url: "https://x" } },
      { event_name: "message.unsupported.received", message: m }, { event_name: "message.voice.received", message: { ...m, voice_url: "https://x.aac" } }])
      expect(parseZaloUpdate(junk, "1", words)).toBeUndefined();
  });
});

describe("renderZalo", () => {
  it("turns buttons into a numbered list with a hint, and returns them in that order", () => {
    const r = renderZalo({ kind: "text", text: "Kính mời Quý phụ huynh dự họp.", buttons: [[{ label: "Tham dự", payload: "rsvp-1-y" }, { label: "Không tham dự", payload: "rsvp-1-n" }], [{ label: "Hỏi thêm", payload: "rsvp-1-q" }]] });
    expect(r.calls).toEqual([{ method: "sendMessage", params: { text: "Kính mời Quý phụ huynh dự họp.\n\n1. Tham dự\n2. Không tham dự\n3. Hỏi thêm\n\nTrả lời bằng số (1–3)." } }]);
    expect(r.keyboard.map((b) => b.payload)).toEqual(["rsvp-1-y", "rsvp-1-n", "rsvp-1-q"]);
    expect(renderZalo({ kind: "text", text: "Choose", buttons: [[{ label: "Yes", payload: "y" }]] }).calls[0]!.params).toMatchObject({ text: "Choose\n\n1. Yes\n\nReply with a number (1)." });
    expect(renderZalo({ kind: "text", text: "Xong ạ." }).keyboard).toEqual([]);
  });

  it("splits texts past 2000 characters and keeps the list whole on the last part", () => {
    const text = "Kính gửi Quý phụ huynh học sinh lớp 6A1. ".repeat(120);
    const r = renderZalo({ kind: "text", text, buttons: [[{ label: "Đã xem", payload: "ack-1" }]] });
    expect(r.calls.length).toBe(3);
    expect(r.calls.every((c) => c.method === "sendMessage" && [...c.params.text].length <= TEXT_LIMIT)).toBe(true);
    expect(r.calls.map((c) => ("text" in c.params ? c.params.text : "").includes("1. Đã xem"))).toEqual([false, false, true]);
  });

  it("sends a photo by public URL and turns other files into a text naming them", () => {
    expect(renderZalo({ kind: "file", media: "photo", fileRef: "https://cdn.example/a.jpg", caption: "Thời khóa biểu" }).calls)
      .toEqual([{ method: "sendPhoto", params: { photo: "https://cdn.example/a.jpg", caption: "Thời khóa biểu" } }]);
    expect(renderZalo({ kind: "file", media: "document", fileRef: "telegram-file-id", fileName: "cong-van.pdf", caption: "Công văn" }).calls)
      .toEqual([{ method: "sendMessage", params: { text: "Công văn\n\n📎 cong-van.pdf" } }]);
  });

  it("maps a typed number back to the button, and anything else to nothing", () => {
    const kb = [{ label: "Tham dự", payload: "rsvp-1-y" }, { label: "Không tham dự", payload: "rsvp-1-n" }];
    expect(pickByNumber("2", kb)).toBe("rsvp-1-n");
    expect(pickByNumber(" 1. ", kb)).toBe("rsvp-1-y");
    expect(pickByNumber("3", kb)).toBeUndefined();
    expect(pickByNumber("0", kb)).toBeUndefined();
    expect(pickByNumber("2 người", kb)).toBeUndefined();
  });
});

describe("toChannelError (Zalo)", () => {
  const code = (err: unknown) => (toChannelError(err, "sendMessage") as ChannelError).code;
  it("maps the envelope and the HTTP status to what the outbox understands", () => {
    expect(code(new ZaloApiError("sendMessage", 200, 429, "Too Many Requests", 3))).toBe("rate-limited");
    expect((toChannelError(new ZaloApiError("sendMessage", 200, 429, "Too Many Requests", 3), "sendMessage") as ChannelError).retryAfterMs).toBe(3000);
    expect(code(new ZaloApiError("sendMessage", 200, 403, "Forbidden"))).toBe("blocked");
    expect(code(new ZaloApiError("sendMessage", 200, 400, "Bad Request: user has blocked the bot"))).toBe("blocked");
    expect(code(new ZaloApiError("sendMessage", 200, 400, "Bad Request: text is too long"))).toBe("bad-request");
    expect(code(new ZaloApiError("sendMessage", 200, 404, "Not Found"))).toBe("bad-request");
    expect(code(new ZaloApiError("sendMessage", 502, 502, "Bad Gateway"))).toBe("server");
    expect(code(new ZaloNetworkError("sendMessage", "ECONNREFUSED"))).toBe("network");
  });

  it("never reads a proxy's HTML page as the user blocking us", () => {
    expect(code(new ZaloApiError("sendMessage", 403, undefined, "reply is not a Bot API envelope"))).toBe("server");
    expect(code(new ZaloApiError("sendMessage", 429, undefined, "reply is not a Bot API envelope"))).toBe("rate-limited");
    const other = new Error("bug");
    expect(toChannelError(other, "x")).toBe(other);
  });
});
