/**
 * An in-repo fake of the Zalo Bot Platform API (bot-api.zaloplatforms.com) on `node:http`,
 * modelled on fake-telegram.ts but smaller. It speaks the real shapes: `POST /bot<TOKEN>/<method>`,
 * the `{ok, result}` / `{ok:false, error_code, description}` envelope (errors on HTTP 200 too,
 * except unknown methods: 404), `getUpdates` long polling that hands out ONE update per call and
 * forgets it (no offset; `error_code 408` when the wait ends empty; nothing while a webhook is
 * set), `setWebhook` with both `url` and an 8–256 character `secret_token`, webhook delivery with
 * `X-Bot-Api-Secret-Token` and retries on non-200, the 2,000-character text limit, sends only to
 * chats that have written to the bot, blocked users, and injected faults (including a non-JSON
 * proxy page).
 *
 * Unknowns of the real API are choices here, and named as such: the error codes for a blocked
 * user (403) and a rate limit (429); whether ids may arrive as bare numbers (`numericIds`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";

export type ZaloUser = { id: string; display_name: string };
type Json = Record<string, unknown>;

export interface FakeZaloOptions {
  /** Default "1357924680:TEST-zalo-token". */
  token?: string;
  /** Serialise digit-only user/chat ids as bare JSON numbers (to prove the app keeps ids above 2^53 exact). */
  numericIds?: boolean;
  /** Webhook body: documented `{ok, result}` ("wrapped", default) or the flat `{event_name, message}` seen in production. */
  webhookForm?: "wrapped" | "flat";
  webhook?: { maxAttempts?: number; backoffMs?: number };
}

export interface ZaloUpdate { event_name: string; message: Json & { message_id: string; from: Json; chat: Json } }

export interface ZaloSent { index: number; method: string; chatId: string; params: Json; at: number }
export interface ZaloCallRecord { index: number; method: string; params: Json; status?: number; errorCode?: number }
export interface ZaloFault {
  method: string; error_code: number; description?: string; count?: number; chatId?: string; retry_after?: number; httpStatus?: number; rawBody?: string;
  /** Carry the call out (a send is delivered), then cut the connection without answering. */
  cut?: boolean;
}
export interface ZaloWebhookDelivery { messageId: string; attempt: number; status: number | null; secretSent: boolean }

class ApiError extends Error {
  constructor(readonly code: number, readonly description: string, readonly httpStatus = 200, readonly extra: Json = {}) { super(description); }
}

class Signal {
  private waiters = new Set<() => void>();
  wait(ms: number, abort?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => { clearTimeout(t); abort?.removeEventListener("abort", done); this.waiters.delete(done); resolve(); };
      const t = setTimeout(done, Math.max(0, ms));
      t.unref();
      abort?.addEventListener("abort", done, { once: true });
      this.waiters.add(done);
    });
  }
  notify(): void { for (const w of [...this.waiters]) w(); }
}

export class FakeZalo {
  readonly apiRoot: string;
  readonly token: string;
  readonly botId: string;
  private readonly changed = new Signal();
  private readonly closing = new AbortController();
  private closed = false;
  private pending: ZaloUpdate[] = [];
  private webhook: { url: string; secret: string; generation: number } | null = null;
  private generation = 0;
  private nextMessage = 1;
  private readonly knownChats = new Set<string>();
  private readonly blocked = new Set<string>();
  private readonly faultRules: (ZaloFault & { remaining: number })[] = [];
  private readonly callLog: ZaloCallRecord[] = [];
  private readonly sentLog: ZaloSent[] = [];
  private readonly deliveryLog: ZaloWebhookDelivery[] = [];
  private readonly sentWaiters = new Set<() => void>();

  private constructor(private readonly server: Server, private readonly options: FakeZaloOptions) {
    this.apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.token = options.token ?? "1357924680:TEST-zalo-token";
    this.botId = this.token.split(":")[0]!;
    server.on("request", (req, res) => void this.onRequest(req, res).catch((err: unknown) => {
      if (!res.headersSent) write(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
    }));
  }

  static async start(options: FakeZaloOptions = {}): Promise<FakeZalo> {
    const server = createServer();
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    await new Promise<void>((resolve, reject) => { server.once("error", reject); server.listen(0, "127.0.0.1", () => resolve()); });
    return new FakeZalo(server, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    this.changed.notify();
    await new Promise<void>((resolve) => { this.server.close(() => resolve()); this.server.closeAllConnections(); });
  }

  // ---- control surface ----------------------------------------------------------------------

  /** A private text from `user`, queued for getUpdates or the webhook. Returns the update. */
  userMessage(user: ZaloUser, text: string): ZaloUpdate {
    return this.push({ event_name: "message.text.received", message: this.message(user, { text }) });
  }

  /** Any event (`message.image.received`, `message.sticker.received`, …) from `user`. */
  userEvent(user: ZaloUser, eventName: string, fields: Json): ZaloUpdate {
    return this.push({ event_name: eventName, message: this.message(user, fields) });
  }

  /** Delivers the same update again (a webhook retry Zalo makes after a lost answer). */
  redeliver(update: ZaloUpdate): ZaloUpdate {
    return this.push(update);
  }

  block(chatId: string): void { this.blocked.add(chatId); }
  injectFault(fault: ZaloFault): void { this.faultRules.push({ ...fault, remaining: fault.count ?? 1 }); }

  sent(filter: { chatId?: string; method?: string } = {}): ZaloSent[] {
    return this.sentLog.filter((s) => (filter.chatId === undefined || s.chatId === filter.chatId) && (filter.method === undefined || s.method === filter.method));
  }
  /** The texts (and captions) sent to a chat, in order. */
  texts(chatId: string): string[] {
    return this.sent({ chatId }).map((s) => String(s.params.text ?? s.params.caption ?? ""));
  }
  calls(method?: string): ZaloCallRecord[] { return this.callLog.filter((c) => method === undefined || c.method === method); }
  webhookDeliveries(): ZaloWebhookDelivery[] { return [...this.deliveryLog]; }
  webhookUrl(): string | undefined { return this.webhook?.url; }
  pendingUpdates(): number { return this.pending.length; }

  async waitForSent(predicate: (s: ZaloSent) => boolean, { since = 0, timeoutMs = 5000 }: { since?: number; timeoutMs?: number } = {}): Promise<ZaloSent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.sentLog.slice(since).find(predicate);
      if (found) return found;
      if (Date.now() >= deadline) throw new Error(`nothing matching was sent within ${timeoutMs} ms; sent: ${JSON.stringify(this.sentLog.slice(since).slice(-5).map((s) => [s.method, s.chatId, s.params.text]))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => { this.sentWaiters.delete(wake); resolve(); }, deadline - Date.now());
        const wake = () => { clearTimeout(t); this.sentWaiters.delete(wake); resolve(); };
        this.sentWaiters.add(wake);
      });
    }
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const match = /^\/bot([^/]+)\/([^/]+)$/.exec(new URL(req.url ?? "/", this.apiRoot).pathname);
    if (!match) return write(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const [, token, method] = match as unknown as [string, string, string];
    const record: ZaloCallRecord = { index: this.callLog.length, method, params: {} };
    this.callLog.push(record);
    const aborted = new AbortController();
    res.once("close", () => aborted.abort());
    try {
      if (req.method !== "POST") throw new ApiError(405, "Method Not Allowed", 405);
      if (token !== this.token) throw new ApiError(401, "Unauthorized", 401);
      let params: Json = {};
      const raw = Buffer.concat(chunks).toString("utf8");
      if (raw) {
        try { params = JSON.parse(raw) as Json; } catch { throw new ApiError(400, "Bad Request: body is not JSON"); }
      }
      record.params = params;
      const rawFault = this.applyFault(method, params);
      if (rawFault?.cut) { await this.execute(method, params, aborted.signal); record.status = 0; res.socket?.destroy(); return; }
      if (rawFault) { record.status = rawFault.httpStatus ?? 502; res.writeHead(record.status, { "content-type": "text/html" }).end(rawFault.rawBody); return; }
      const result = await this.execute(method, params, aborted.signal);
      record.status = 200;
      this.write(res, 200, { ok: true, result });
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500, `Internal Server Error: ${String(err)}`, 500);
      record.status = e.httpStatus;
      record.errorCode = e.code;
      write(res, e.httpStatus, { ok: false, error_code: e.code, description: e.description, ...e.extra });
    }
  }

  private write(res: ServerResponse, status: number, body: Json): void {
    let text = JSON.stringify(body);
    if (this.options.numericIds) text = text.replace(/"id":"(\d{16,})"/g, '"id":$1');
    res.writeHead(status, { "content-type": "application/json" }).end(text);
  }

  private applyFault(method: string, params: Json): ZaloFault | undefined {
    const rule = this.faultRules.find((r) => r.remaining > 0 && (r.method === "*" || r.method === method) && (r.chatId === undefined || r.chatId === String(params.chat_id)));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.rawBody !== undefined || rule.cut) return rule;
    throw new ApiError(rule.error_code, rule.description ?? defaultDescription(rule.error_code), rule.httpStatus ?? 200,
      rule.retry_after !== undefined ? { parameters: { retry_after: rule.retry_after } } : {});
  }

  private async execute(method: string, p: Json, signal: AbortSignal): Promise<unknown> {
    switch (method) {
      case "getMe": return { id: this.botId, account_name: "Bot Sổ liên lạc (test)", account_type: "BASIC", can_join_groups: false };
      case "getUpdates": return this.getUpdates(p, signal);
      case "setWebhook": return this.setWebhook(p);
      case "deleteWebhook": this.webhook = null; this.generation++; this.changed.notify(); return { url: "", updated_at: Date.now() };
      case "getWebhookInfo": return { url: this.webhook?.url ?? "", updated_at: Date.now() };
      case "sendMessage": {
        const chatId = this.requireChat(p);
        checkText(p.text, "text", 1);
        return this.recordSent("sendMessage", chatId, p);
      }
      case "sendPhoto": {
        const chatId = this.requireChat(p);
        if (typeof p.photo !== "string" || !/^https?:\/\//.test(p.photo)) throw new ApiError(400, "Bad Request: photo must be a URL");
        if (p.caption !== undefined) checkText(p.caption, "caption", 0);
        return this.recordSent("sendPhoto", chatId, p);
      }
      case "sendChatAction": this.requireChat(p); return true;
      default: throw new ApiError(404, "Not Found", 404);
    }
  }

  private async getUpdates(p: Json, signal: AbortSignal): Promise<ZaloUpdate> {
    const seconds = Number(p.timeout ?? 30);
    const deadline = Date.now() + (Number.isFinite(seconds) ? seconds : 30) * 1000;
    for (;;) {
      // While a webhook is set, getUpdates gets nothing (Zalo serves one or the other).
      if (!this.webhook && this.pending.length > 0 && !signal.aborted) return this.pending.shift()!;
      if (this.closed || signal.aborted || Date.now() >= deadline) throw new ApiError(408, "Request Timeout");
      await this.changed.wait(deadline - Date.now(), AbortSignal.any([signal, this.closing.signal]));
    }
  }

  private setWebhook(p: Json): Json {
    if (typeof p.url !== "string" || !/^https?:\/\//.test(p.url)) throw new ApiError(400, "Bad Request: url is required");
    if (typeof p.secret_token !== "string" || p.secret_token.length < 8 || p.secret_token.length > 256) throw new ApiError(400, "Bad Request: secret_token must be 8-256 characters");
    this.webhook = { url: p.url, secret: p.secret_token, generation: ++this.generation };
    this.changed.notify();
    void this.runWebhook(this.generation);
    return { url: p.url, updated_at: Date.now() };
  }

  private requireChat(p: Json): string {
    const chatId = typeof p.chat_id === "string" ? p.chat_id : typeof p.chat_id === "number" ? String(p.chat_id) : "";
    if (!chatId) throw new ApiError(400, "Bad Request: chat_id is required");
    if (this.blocked.has(chatId)) throw new ApiError(403, "Forbidden: user has blocked the bot");
    if (!this.knownChats.has(chatId)) throw new ApiError(400, "Bad Request: chat not found");
    return chatId;
  }

  private recordSent(method: string, chatId: string, params: Json): Json {
    const message = { message_id: randomBytes(10).toString("hex"), date: Date.now() };
    this.sentLog.push({ index: this.sentLog.length, method, chatId, params, at: Date.now() });
    for (const wake of [...this.sentWaiters]) wake();
    return message;
  }

  private message(user: ZaloUser, fields: Json): ZaloUpdate["message"] {
    this.knownChats.add(user.id);
    return {
      message_id: `${randomBytes(6).toString("hex")}${(this.nextMessage++).toString(16).padStart(8, "0")}`, date: Date.now(),
      from: { id: user.id, display_name: user.display_name, is_bot: false }, chat: { id: user.id, chat_type: "PRIVATE" }, ...fields,
    };
  }

  private push(update: ZaloUpdate): ZaloUpdate {
    this.pending.push(update);
    this.changed.notify();
    return update;
  }

  // ---- webhook delivery ---------------------------------------------------------------------

  private async runWebhook(generation: number): Promise<void> {
    const current = () => !this.closed && this.webhook?.generation === generation;
    const { maxAttempts = 5, backoffMs = 20 } = this.options.webhook ?? {};
    while (current()) {
      const next = this.pending[0];
      if (!next) { await this.changed.wait(60_000, this.closing.signal); continue; }
      for (let attempt = 1; attempt <= maxAttempts && current(); attempt++) {
        if (await this.post(next, attempt)) break;
        await this.changed.wait(backoffMs * 2 ** (attempt - 1), this.closing.signal);
      }
      if (!current()) return;
      this.pending = this.pending.filter((u) => u !== next);
    }
  }

  private async post(update: ZaloUpdate, attempt: number): Promise<boolean> {
    const hook = this.webhook!;
    const delivery: ZaloWebhookDelivery = { messageId: update.message.message_id, attempt, status: null, secretSent: true };
    this.deliveryLog.push(delivery);
    let body = JSON.stringify(this.options.webhookForm === "flat" ? update : { ok: true, result: update });
    if (this.options.numericIds) body = body.replace(/"id":"(\d{16,})"/g, '"id":$1');
    try {
      const res = await fetch(hook.url, { method: "POST", headers: { "content-type": "application/json", "x-bot-api-secret-token": hook.secret }, body, signal: this.closing.signal });
      delivery.status = res.status;
      await res.text();
      return res.ok;
    } catch {
      return false;
    }
  }
}

function checkText(v: unknown, field: string, min: number): void {
  if (typeof v !== "string") throw new ApiError(400, `Bad Request: ${field} is required`);
  const n = [...v.normalize("NFC")].length;
  if (n < min || n > 2000) throw new ApiError(400, `Bad Request: ${field} must be ${min}-2000 characters`);
}

function defaultDescription(code: number): string {
  return ({ 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 408: "Request Timeout", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway" } as Record<number, string>)[code] ?? "Error";
}

function write(res: ServerResponse, status: number, body: Json): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
