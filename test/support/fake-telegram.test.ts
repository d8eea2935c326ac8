import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Api, Bot, GrammyError, InputFile, webhookCallback } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventually } from "./eventually.js";
import { FakeTelegram, type TgUser } from "./fake-telegram.js";

const lan: TgUser = { id: 5_550_001_111, first_name: "Lan", language_code: "vi" };
const minh: TgUser = { id: 5_550_002_222, first_name: "Minh", username: "minh_ph" };
const classGroup = -1_001_234_567_890;

let fake: FakeTelegram;
let api: Api;

beforeEach(async () => {
  fake = await FakeTelegram.start();
  api = new Api(fake.token, { apiRoot: fake.apiRoot });
});

afterEach(async () => {
  await fake.close();
});

/** Calls the fake with plain fetch and a JSON body, returning the HTTP status and envelope. */
async function rawCall(method: string, params: Record<string, unknown> = {}, token = fake.token): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${fake.apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Runs `promise`, expecting a GrammyError, and returns it. */
async function grammyError(promise: Promise<unknown>): Promise<GrammyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GrammyError);
  return error as GrammyError;
}

/** A local node:http server standing in for the app's webhook endpoint. */
async function startWebhookReceiver(answer: (requestNumber: number) => { status: number; body?: string }): Promise<{
  url: string;
  requests: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[];
  close: () => Promise<void>;
}> {
  const requests: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      requests.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown> });
      const { status, body } = answer(requests.length);
      res.writeHead(status, { "content-type": "application/json" }).end(body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/telegram/webhook`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

describe("FakeTelegram: transport and envelope", () => {
  it("answers getMe through grammY's Api", async () => {
    const me = await api.getMe();
    expect(me).toMatchObject({ id: 123456, is_bot: true, username: "so_lien_lac_test_bot" });
  });

  it("rejects a wrong token with 401 and an unknown method with 404", async () => {
    expect(await rawCall("getMe", {}, "999:wrong")).toEqual({ status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } });
    expect(await rawCall("sendTelepathy")).toEqual({ status: 404, body: { ok: false, error_code: 404, description: "Not Found" } });
  });

  it("accepts parameters as a query string and as a urlencoded form", async () => {
    fake.knownChat(lan.id);
    const viaQuery = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage?chat_id=${lan.id}&text=${encodeURIComponent("Chào phụ huynh")}`);
    expect(((await viaQuery.json()) as { result: { text: string } }).result.text).toBe("Chào phụ huynh");

    const form = new URLSearchParams({
      chat_id: String(lan.id),
      text: "Xác nhận?",
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "Có", callback_data: "rsvp-m42-y" }]] }),
    });
    const viaForm = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, { method: "POST", body: form });
    expect(viaForm.status).toBe(200);
    const [, second] = fake.sent({ chatId: lan.id });
    expect(second?.message?.reply_markup).toEqual({ inline_keyboard: [[{ text: "Có", callback_data: "rsvp-m42-y" }]] });
    expect(second?.chatId).toBe(lan.id);
  });
});

describe("FakeTelegram: getUpdates long polling", () => {
  it("returns an update pushed while the request is pending, and offset confirms it", async () => {
    const poll = api.getUpdates({ timeout: 10 });
    // The request must have reached the fake and still be waiting before we push.
    await eventually(() => fake.calls("getUpdates").length === 1, { message: "getUpdates arrived" });
    expect(fake.calls("getUpdates")[0]?.status).toBeUndefined();

    const pushed = fake.userMessage(lan, "/start INV7Kx2q9");
    const updates = await poll;
    expect(updates).toEqual([pushed]);
    expect(updates[0]?.message?.entities).toEqual([{ type: "bot_command", offset: 0, length: 6 }]);
    expect(updates[0]?.message?.chat).toMatchObject({ id: lan.id, type: "private" });

    // Not confirmed yet: delivered again.
    expect(await api.getUpdates({ timeout: 0 })).toHaveLength(1);
    // Confirmed: gone for good, even without an offset afterwards.
    expect(await api.getUpdates({ offset: pushed.update_id + 1, timeout: 0 })).toEqual([]);
    expect(await api.getUpdates({ timeout: 0 })).toEqual([]);
    expect(fake.calls("getUpdates").map((c) => c.params.offset)).toEqual([undefined, undefined, pushed.update_id + 1, undefined]);
  });

  it("assigns increasing update ids and honours limit", async () => {
    const first = fake.userMessage(lan, "một");
    const second = fake.userMessage(lan, "hai");
    const third = fake.groupMessage(minh, classGroup, "ba");
    expect([second.update_id - first.update_id, third.update_id - second.update_id]).toEqual([1, 1]);
    expect(third.message?.chat).toMatchObject({ id: classGroup, type: "supergroup" });

    const batch = await api.getUpdates({ limit: 2, timeout: 0 });
    expect(batch.map((u) => u.message?.text)).toEqual(["một", "hai"]);
    const rest = await api.getUpdates({ offset: batch[1]!.update_id + 1, timeout: 0 });
    expect(rest.map((u) => u.message?.text)).toEqual(["ba"]);
  });

  it("answers [] when the timeout elapses with nothing to deliver", async () => {
    const started = Date.now();
    expect(await api.getUpdates({ timeout: 1 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("terminates a waiting poll with 409 when a second poller appears", async () => {
    const first = grammyError(api.getUpdates({ timeout: 10 }));
    await eventually(() => fake.calls("getUpdates").length === 1);
    const second = api.getUpdates({ timeout: 0 });
    const error = await first;
    expect(error.error_code).toBe(409);
    expect(error.description).toBe("Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
    expect(await second).toEqual([]);
  });

  it("withholds chat_member updates unless allowed_updates asks for them", async () => {
    fake.pushUpdate({ chat_member: { chat: { id: classGroup, type: "supergroup", title: "10A1" }, from: { id: minh.id, is_bot: false, first_name: "Minh" } } });
    expect(await api.getUpdates({ timeout: 0, allowed_updates: [] })).toEqual([]);
    const updates = await api.getUpdates({ timeout: 0, allowed_updates: ["chat_member"] });
    expect(updates[0]?.chat_member?.date).toEqual(expect.any(Number));
  });

  it("resolves a pending long poll with [] when the fake closes", async () => {
    const poll = api.getUpdates({ timeout: 30 });
    await eventually(() => fake.calls("getUpdates").length === 1);
    await fake.close();
    expect(await poll).toEqual([]);
  });
});

describe("FakeTelegram: webhooks", () => {
  it("refuses getUpdates with 409 while a webhook is set", async () => {
    await api.setWebhook("http://127.0.0.1:9/unused");
    const error = await grammyError(api.getUpdates({ timeout: 0 }));
    expect(error.error_code).toBe(409);
    expect(error.description).toBe("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");

    await api.deleteWebhook();
    expect(await api.getUpdates({ timeout: 0 })).toEqual([]);
  });

  it("validates the secret token like Telegram", async () => {
    const error = await grammyError(api.setWebhook("http://127.0.0.1:9/unused", { secret_token: "123456:TEST-token" }));
    expect(error.description).toBe("Bad Request: secret token contains unallowed characters");
  });

  it("POSTs updates with the secret header and redelivers after a 500", async () => {
    const app = await startWebhookReceiver((n) => ({ status: n === 1 ? 500 : 200 }));
    try {
      await api.setWebhook(app.url, { secret_token: "so-lien-lac_secret" });
      const pushed = fake.userMessage(lan, "Chào cô");

      await eventually(() => fake.webhookDeliveries().some((d) => d.status === 200), { message: "webhook acknowledged" });
      expect(fake.webhookDeliveries().map((d) => [d.updateId, d.attempt, d.status])).toEqual([
        [pushed.update_id, 1, 500],
        [pushed.update_id, 2, 200],
      ]);
      expect(app.requests.map((r) => r.headers["x-telegram-bot-api-secret-token"])).toEqual(["so-lien-lac_secret", "so-lien-lac_secret"]);
      expect(app.requests.map((r) => r.body.update_id)).toEqual([pushed.update_id, pushed.update_id]);
      await eventually(async () => (await api.getWebhookInfo()).pending_update_count === 0);
      expect((await api.getWebhookInfo()).last_error_message).toBe("Wrong response from the webhook: 500 Internal Server Error");
    } finally {
      await app.close();
    }
  });

  it("gives up after the bounded number of tries when the app keeps failing", async () => {
    await fake.close();
    fake = await FakeTelegram.start({ webhook: { maxAttempts: 3, backoffMs: 1 } });
    api = new Api(fake.token, { apiRoot: fake.apiRoot });
    const app = await startWebhookReceiver(() => ({ status: 503 }));
    try {
      await api.setWebhook(app.url);
      fake.userMessage(lan, "alo");
      await eventually(() => fake.stats().webhookGaveUp === 1);
      expect(fake.webhookDeliveries().map((d) => d.status)).toEqual([503, 503, 503]);
      expect(fake.webhookDeliveries().every((d) => !d.secretTokenSent)).toBe(true);
      expect(fake.stats().pendingUpdates).toBe(0);
    } finally {
      await app.close();
    }
  });

  it("executes a method returned in the webhook response body", async () => {
    const app = await startWebhookReceiver(() => ({ status: 200, body: JSON.stringify({ method: "sendMessage", chat_id: lan.id, text: "Đã nhận" }) }));
    try {
      await api.setWebhook(app.url);
      fake.userMessage(lan, "/start");
      const reply = await fake.waitForSent((r) => r.chatId === lan.id);
      expect(reply.message?.text).toBe("Đã nhận");
      expect(fake.calls("sendMessage")[0]?.httpMethod).toBe("WEBHOOK-REPLY");
    } finally {
      await app.close();
    }
  });
});

describe("FakeTelegram: sendMessage validation", () => {
  beforeEach(() => {
    fake.userMessage(lan, "/start");
  });

  it("returns a full Message with per-chat increasing ids", async () => {
    const first = await api.sendMessage(lan.id, "Xin chào");
    const second = await api.sendMessage(lan.id, "Lần hai");
    expect(first).toMatchObject({ chat: { id: lan.id, type: "private" }, from: { id: 123456, is_bot: true }, text: "Xin chào", date: expect.any(Number) });
    // The user's /start already took message_id 1 in this chat.
    expect([first.message_id, second.message_id]).toEqual([2, 3]);
  });

  it("rejects unknown chats, never-started users, empty and too long texts", async () => {
    expect(await rawCall("sendMessage", { chat_id: 42, text: "hi" })).toEqual({ status: 400, body: { ok: false, error_code: 400, description: "Bad Request: chat not found" } });
    expect((await rawCall("sendMessage", { text: "hi" })).body.description).toBe("Bad Request: chat_id is empty");
    expect((await grammyError(api.sendMessage(lan.id, ""))).description).toBe("Bad Request: message text is empty");
    expect((await grammyError(api.sendMessage(lan.id, "  \n "))).description).toBe("Bad Request: message text is empty");
    expect((await grammyError(api.sendMessage(lan.id, "a".repeat(4097)))).description).toBe("Bad Request: message is too long");

    fake.groupMessage(minh, classGroup, "chào cả lớp"); // Minh never opened the bot privately
    const error = await grammyError(api.sendMessage(minh.id, "hi"));
    expect([error.error_code, error.description]).toEqual([403, "Forbidden: bot can't initiate conversation with a user"]);
  });

  it("counts characters, not UTF-16 units or bytes", async () => {
    await expect(api.sendMessage(lan.id, "ệ".repeat(4096))).resolves.toMatchObject({ text: "ệ".repeat(4096) });
    await expect(api.sendMessage(lan.id, "📚".repeat(4096))).resolves.toBeDefined();
    expect((await grammyError(api.sendMessage(lan.id, "📚".repeat(4097)))).description).toBe("Bad Request: message is too long");
  });

  it("limits callback_data to 64 bytes, which Vietnamese text exceeds in fewer characters", async () => {
    const data = "xác-nhận-dự-họp-phụ-huynh-lớp-10A1-vào-sáng-thứ-bảy-tuần-này"; // 60 characters, 80 bytes
    expect(data.length).toBeLessThanOrEqual(64);
    expect(Buffer.byteLength(data)).toBeGreaterThan(64);
    const error = await grammyError(api.sendMessage(lan.id, "Họp phụ huynh", { reply_markup: { inline_keyboard: [[{ text: "Có", callback_data: data }]] } }));
    expect([error.error_code, error.description]).toEqual([400, "Bad Request: BUTTON_DATA_INVALID"]);

    const ok = await api.sendMessage(lan.id, "Họp phụ huynh", { reply_markup: { inline_keyboard: [[{ text: "Có", callback_data: "rsvp-m42-y" }]] } });
    expect(ok.reply_markup?.inline_keyboard[0]?.[0]).toEqual({ text: "Có", callback_data: "rsvp-m42-y" });
  });

  it("parses HTML and MarkdownV2 and reports Telegram's entity errors", async () => {
    const html = await api.sendMessage(lan.id, "<b>Lan</b> &amp; <i>Minh</i>", { parse_mode: "HTML" });
    expect(html.text).toBe("Lan & Minh");
    expect(html.entities).toEqual([{ type: "bold", offset: 0, length: 3 }, { type: "italic", offset: 6, length: 4 }]);
    expect((await grammyError(api.sendMessage(lan.id, "Dòng 1<br>Dòng 2", { parse_mode: "HTML" }))).description).toBe(
      `Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 7`,
    );
    expect((await grammyError(api.sendMessage(lan.id, "Họp lúc 7.30", { parse_mode: "MarkdownV2" }))).description).toBe(
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    );
    await expect(api.sendMessage(lan.id, "*Họp* lúc 7\\.30", { parse_mode: "MarkdownV2" })).resolves.toMatchObject({ text: "Họp lúc 7.30" });
  });
});

describe("FakeTelegram: faults, blocking and rate limits", () => {
  beforeEach(() => {
    fake.userMessage(lan, "/start");
    fake.userMessage(minh, "/start");
  });

  it("injects a 429 carrying retry_after, once (hold: false: the next call may ignore it)", async () => {
    fake.injectFault({ method: "sendMessage", error_code: 429, retry_after: 3, hold: false });
    const error = await grammyError(api.sendMessage(lan.id, "Thông báo"));
    expect(error.error_code).toBe(429);
    expect(error.description).toBe("Too Many Requests: retry after 3");
    expect(error.parameters.retry_after).toBe(3);

    await expect(api.sendMessage(lan.id, "Thông báo")).resolves.toMatchObject({ text: "Thông báo" });
    expect(fake.faults()).toMatchObject([{ method: "sendMessage", chatId: lan.id, error_code: 429, retry_after: 3 }]);
    expect(fake.stats()).toMatchObject({ sentOk: 1, tooManyRequests: 1, faultsInjected: 1 });
  });

  it("holds an injected 429's retry_after like Telegram: for that chat only, or for the bot when no chat is named", async () => {
    fake.injectFault({ method: "sendMessage", error_code: 429, retry_after: 30, chatId: lan.id });
    expect((await grammyError(api.sendMessage(lan.id, "1"))).parameters.retry_after).toBe(30);
    // Sent again too early: refused again, with the seconds left; another chat is not held.
    const early = await grammyError(api.sendMessage(lan.id, "2"));
    expect(early.error_code).toBe(429);
    expect(early.parameters.retry_after).toBeGreaterThan(25);
    expect(early.parameters.retry_after).toBeLessThanOrEqual(30);
    await expect(api.sendMessage(minh.id, "ok")).resolves.toBeDefined();
    expect(fake.faults()).toHaveLength(1);
    expect(fake.stats()).toMatchObject({ sentOk: 1, tooManyRequests: 2, faultsInjected: 1, rateLimited: 1 });

    // A 429 not about one chat holds every chat (other methods than sends are not held).
    fake.injectFault({ method: "sendMessage", error_code: 429, retry_after: 30 });
    expect((await grammyError(api.sendMessage(minh.id, "3"))).error_code).toBe(429);
    expect((await grammyError(api.sendMessage(minh.id, "4"))).parameters.retry_after).toBeGreaterThan(25);
    await expect(api.getMe()).resolves.toBeDefined();
    expect(fake.stats()).toMatchObject({ sentOk: 1, faultsInjected: 2, rateLimited: 2 });
  });

  it("scopes injected faults to a chat", async () => {
    fake.injectFault({ method: "sendMessage", error_code: 500, chatId: minh.id, count: 2 });
    await expect(api.sendMessage(lan.id, "ok")).resolves.toBeDefined();
    expect((await grammyError(api.sendMessage(minh.id, "x"))).description).toBe("Internal Server Error");
    expect((await grammyError(api.sendMessage(minh.id, "x"))).error_code).toBe(500);
    await expect(api.sendMessage(minh.id, "ok")).resolves.toBeDefined();
  });

  it("answers 403 for a chat that blocked the bot", async () => {
    fake.block(lan.id);
    expect(await rawCall("sendMessage", { chat_id: lan.id, text: "Nhắc học phí" })).toEqual({
      status: 403,
      body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
    });
    expect(fake.sent({ chatId: lan.id })).toEqual([]);
    fake.unblock(lan.id);
    await expect(api.sendMessage(lan.id, "Nhắc học phí")).resolves.toBeDefined();

    // A my_chat_member "kicked" update blocks as well, like Telegram.
    fake.pushUpdate({ my_chat_member: { chat: { id: minh.id, type: "private", first_name: "Minh" }, from: { id: minh.id, is_bot: false, first_name: "Minh" }, new_chat_member: { status: "kicked" } } });
    expect((await grammyError(api.sendMessage(minh.id, "x"))).error_code).toBe(403);
  });

  it("enforces per-chat and global limits with integer retry_after", async () => {
    fake.setRateLimit({ globalPerSecond: 5, perChatPerSecond: 3 });
    for (let i = 0; i < 3; i++) await api.sendMessage(lan.id, `tin ${i}`);
    const perChat = await grammyError(api.sendMessage(lan.id, "tin 4"));
    expect(perChat.error_code).toBe(429);
    expect(perChat.parameters.retry_after).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(perChat.parameters.retry_after)).toBe(true);

    await api.sendMessage(minh.id, "a");
    await api.sendMessage(minh.id, "b");
    const global = await grammyError(api.sendMessage(minh.id, "c")); // 6th send in the second
    expect(global.description).toMatch(/^Too Many Requests: retry after \d+$/);
    expect(fake.stats()).toMatchObject({ sentOk: 5, rateLimited: 2, tooManyRequests: 2 });

    fake.setRateLimit(null);
    await expect(api.sendMessage(minh.id, "c")).resolves.toBeDefined();
  });
});

describe("FakeTelegram: files", () => {
  beforeEach(() => {
    fake.userMessage(lan, "/start");
  });

  it("records a multipart sendDocument from grammY's InputFile and serves it back", async () => {
    const csv = Buffer.from("Họ tên,Điểm\nNguyễn Văn An,9.5\n", "utf8");
    const filename = "bảng điểm 10A1.csv";
    const message = await api.sendDocument(lan.id, new InputFile(csv, filename), {
      caption: "Bảng điểm học kỳ I",
      reply_markup: { inline_keyboard: [[{ text: "Đã xem", callback_data: "seen-1" }]] },
    });
    const [record] = fake.sent({ method: "sendDocument" });
    expect(record?.message?.document).toMatchObject({ file_name: filename, file_size: csv.length, mime_type: "text/csv" });
    expect(record?.message?.caption).toBe("Bảng điểm học kỳ I");
    expect(record?.message?.reply_markup?.inline_keyboard[0]?.[0]?.text).toBe("Đã xem");
    expect(message.document?.file_id).toBe(record?.message?.document?.file_id);

    const file = await api.getFile(message.document!.file_id);
    const download = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${file.file_path}`);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(csv);

    // Re-sending by file_id needs no upload; an unknown id is refused.
    await expect(api.sendDocument(lan.id, message.document!.file_id)).resolves.toMatchObject({ document: { file_size: csv.length } });
    expect((await grammyError(api.sendDocument(lan.id, "no-such-file"))).description).toBe("Bad Request: wrong file identifier/HTTP URL specified");
  });

  it("parses standard multipart bodies too (fetch FormData)", async () => {
    const form = new FormData();
    form.set("chat_id", String(lan.id));
    form.set("caption", "x".repeat(1025));
    form.set("photo", new Blob([Buffer.from([0xff, 0xd8, 0xff])], { type: "image/jpeg" }), "anh.jpg");
    const tooLong = await fetch(`${fake.apiRoot}/bot${fake.token}/sendPhoto`, { method: "POST", body: form });
    expect(((await tooLong.json()) as { description: string }).description).toBe("Bad Request: message caption is too long");

    form.set("caption", "Ảnh lớp");
    const ok = await fetch(`${fake.apiRoot}/bot${fake.token}/sendPhoto`, { method: "POST", body: form });
    const { result } = (await ok.json()) as { result: { caption: string; photo: { file_size: number }[] } };
    expect(result.caption).toBe("Ảnh lớp");
    expect(result.photo[0]?.file_size).toBe(3);
  });

  it("refuses documents over 50 MB with 413", async () => {
    const big = Buffer.alloc(50 * 1024 * 1024 + 1, 0x61);
    const error = await grammyError(api.sendDocument(lan.id, new InputFile(big, "video.bin")));
    expect([error.error_code, error.description]).toEqual([413, "Request Entity Too Large"]);
    expect(fake.sent()).toEqual([]);
  });

  it("lets a test push a user's document for the app to download", async () => {
    const update = fake.userDocument(lan, { filename: "danh-sach.csv", content: "a,b\n1,2\n" });
    const fileId = update.message?.document?.file_id ?? "";
    const file = await api.getFile(fileId);
    const download = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${file.file_path}`);
    expect(await download.text()).toBe("a,b\n1,2\n");
    expect((await grammyError(api.getFile("nope"))).description).toBe("Bad Request: invalid file_id");
  });
});

describe("FakeTelegram: callbacks, edits and assertions", () => {
  beforeEach(() => {
    fake.userMessage(lan, "/start");
  });

  it("builds callback queries on sent keyboards and checks answers", async () => {
    const sent = await api.sendMessage(lan.id, "Dự họp?", { reply_markup: { inline_keyboard: [[{ text: "Có", callback_data: "rsvp-m42-y" }, { text: "Không", callback_data: "rsvp-m42-n" }]] } });
    const update = fake.callbackQuery(lan, "rsvp-m42-n");
    const query = update.callback_query!;
    expect(query.message?.message_id).toBe(sent.message_id);
    expect(query.data).toBe("rsvp-m42-n");

    await api.answerCallbackQuery(query.id, { text: "Đã ghi nhận" });
    expect(fake.callbackAnswers()).toMatchObject([{ callbackQueryId: query.id, data: "rsvp-m42-n", text: "Đã ghi nhận", chatId: lan.id }]);
    expect((await grammyError(api.answerCallbackQuery(query.id))).description).toBe(
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );
  });

  it("edits and deletes messages with Telegram's errors", async () => {
    const sent = await api.sendMessage(lan.id, "Dự họp?", { reply_markup: { inline_keyboard: [[{ text: "Có", callback_data: "y" }]] } });
    const edited = await api.editMessageReplyMarkup(lan.id, sent.message_id);
    expect(edited).toMatchObject({ message_id: sent.message_id, text: "Dự họp?", edit_date: expect.any(Number) });
    expect(edited).not.toHaveProperty("reply_markup");
    expect((await grammyError(api.editMessageReplyMarkup(lan.id, sent.message_id))).description).toMatch(/^Bad Request: message is not modified/);

    await expect(api.editMessageText(lan.id, sent.message_id, "Đã chốt danh sách")).resolves.toMatchObject({ text: "Đã chốt danh sách" });
    expect((await grammyError(api.editMessageText(lan.id, 999, "x"))).description).toBe("Bad Request: message to edit not found");
    expect((await grammyError(api.editMessageText(lan.id, 1, "x"))).description).toBe("Bad Request: message can't be edited");

    await api.deleteMessage(lan.id, sent.message_id);
    expect((await grammyError(api.deleteMessage(lan.id, sent.message_id))).description).toBe("Bad Request: message to delete not found");
    expect(fake.sent({ chatId: lan.id }).map((r) => r.method)).toEqual(["sendMessage", "editMessageReplyMarkup", "editMessageText", "deleteMessage"]);
  });

  it("waitForSent resolves for past and future records and times out with a summary", async () => {
    await api.sendMessage(lan.id, "một");
    await expect(fake.waitForSent((r) => r.message?.text === "một")).resolves.toMatchObject({ index: 0 });

    const since = fake.sent().length;
    const waiting = fake.waitForSent((r) => r.chatId === lan.id, { since });
    await api.sendMessage(lan.id, "hai");
    await expect(waiting).resolves.toMatchObject({ index: 1, message: { text: "hai" } });

    await expect(fake.waitForSent((r) => r.message?.text === "ba", { timeoutMs: 50 })).rejects.toThrow(/nothing matched within 50 ms; sent so far:[\s\S]*"hai"/);
  });

  it("treats re-pushing a helper's update as a no-op and redeliver() as a duplicate", async () => {
    const update = fake.userMessage(lan, "xin chào");
    expect(fake.pushUpdate(update)).toBe(update);
    expect(() => fake.pushUpdate({ ...update })).toThrow(/redeliver/);
    fake.redeliver(update);
    const updates = await api.getUpdates({ timeout: 0 });
    expect(updates.map((u) => u.update_id)).toEqual([update.update_id - 1, update.update_id, update.update_id]);
  });
});

describe("FakeTelegram: a real grammY Bot cannot tell the difference", () => {
  it("long-polls, replies, handles a button press and stops cleanly", async () => {
    const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
    bot.command("start", (ctx) => ctx.reply(`Chào ${ctx.from?.first_name}, mã ${ctx.match}`, { reply_markup: { inline_keyboard: [[{ text: "Có", callback_data: "y" }]] } }));
    bot.on("callback_query:data", async (ctx) => {
      await ctx.answerCallbackQuery("Đã ghi nhận");
      await ctx.editMessageText(`Đã chọn ${ctx.callbackQuery.data}`);
    });
    const running = bot.start({ timeout: 30 });
    try {
      fake.userMessage(lan, "/start INV7Kx2q9");
      const greeting = await fake.waitForSent((r) => r.method === "sendMessage");
      expect(greeting.message?.text).toBe("Chào Lan, mã INV7Kx2q9");

      fake.callbackQuery(lan, "y");
      const edit = await fake.waitForSent((r) => r.method === "editMessageText");
      expect(edit.message).toMatchObject({ message_id: greeting.message?.message_id, text: "Đã chọn y" });
      expect(fake.callbackAnswers()).toMatchObject([{ text: "Đã ghi nhận", data: "y" }]);
    } finally {
      await bot.stop();
      await running;
    }
    // bot.stop() confirms the last update, so nothing is left for the next poller.
    expect(await api.getUpdates({ timeout: 0 })).toEqual([]);
  });

  it("delivers to webhookCallback, whose secret check makes the fake retry until the secret matches", async () => {
    const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
    bot.on("message:text", (ctx) => ctx.reply(`Nhận: ${ctx.message.text}`));
    await bot.init();
    const server = createServer(webhookCallback(bot, "http", { secretToken: "right_secret" }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram`;
    try {
      // A mismatched secret: grammY answers 401 and the fake redelivers, then gives up.
      await bot.api.setWebhook(url, { secret_token: "wrong_secret" });
      fake.userMessage(lan, "bị từ chối");
      await eventually(() => fake.stats().webhookGaveUp === 1, { message: "webhook gave up" });
      expect(fake.webhookDeliveries().map((d) => d.status)).toEqual([401, 401, 401, 401, 401]);
      expect(fake.sent()).toEqual([]);

      await bot.api.setWebhook(url, { secret_token: "right_secret" });
      const pushed = fake.userMessage(lan, "xin chào");
      const reply = await fake.waitForSent((r) => r.chatId === lan.id);
      expect(reply.message?.text).toBe("Nhận: xin chào");
      // webhookCallback answers only after the middleware finished, so the 200 comes after the reply.
      await eventually(() => fake.webhookDeliveries().some((d) => d.updateId === pushed.update_id && d.status === 200));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("eventually", () => {
  it("retries until the function stops throwing and returns its value", async () => {
    let attempts = 0;
    const value = await eventually(() => {
      attempts += 1;
      if (attempts < 3) throw new Error("not yet");
      return "done";
    }, { intervalMs: 1 });
    expect([value, attempts]).toEqual(["done", 3]);
  });

  it("treats false as not yet and times out with the message and last error", async () => {
    let attempts = 0;
    const result = await eventually(() => ++attempts >= 2, { intervalMs: 1 });
    expect(result).toBe(true);
    await expect(eventually(() => false, { timeoutMs: 30, intervalMs: 5, message: "parent notified" })).rejects.toThrow(
      /^parent notified \(gave up after 30 ms, \d+ attempts\): condition returned false$/,
    );
  });
});
