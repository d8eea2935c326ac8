/**
 * An in-repo fake of the Telegram Bot API on `node:http`.
 *
 * The real app talks to it through grammY with `client.apiRoot = fake.apiRoot`, so tests
 * exercise the same HTTP, envelope and error paths as production: long polling with offset
 * confirmation, webhook delivery with the secret header and redelivery, multipart uploads,
 * Telegram's validation errors, injected faults and an optional rate limit.
 *
 * The public emulator `telegram-test-api` busy-loops and lacks error bodies and files, which
 * is why this exists (see docs in shared/reference/telegram-bullmq.md).
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Message, MessageEntity, Update } from "grammy/types";

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** A Telegram user as tests describe them; the fake adds `is_bot: false`. */
export type TgUser = { id: number; first_name: string; last_name?: string; language_code?: string; username?: string };

/** A chat id as the Bot API accepts it: a number, or a string (numeric or `@username`). */
export type ChatId = number | string;

/** Decoded request parameters (JSON values; form fields coerced like Telegram does). */
export type Params = Record<string, unknown>;

/** Telegram-like rate limits for the send methods. */
export interface RateLimit {
  /** Sends per rolling second across all chats (Telegram: ~30). */
  globalPerSecond: number;
  /** Sends per rolling second to one chat (Telegram: ~1, bursts allowed). */
  perChatPerSecond: number;
  /** Optional sends per rolling minute to one group chat (Telegram: ~20). */
  perGroupPerMinute?: number;
}

/** Options of {@link FakeTelegram.start}. */
export interface FakeTelegramOptions {
  /** Bot token expected in request paths (default `"123456:TEST-token"`). */
  token?: string;
  /** `username` returned by `getMe` (default `"so_lien_lac_test_bot"`). */
  botUsername?: string;
  /** Enforce Telegram-like 429s from the start (see {@link FakeTelegram.setRateLimit}). */
  rateLimit?: RateLimit;
  /** Largest accepted upload in bytes (default 50 MiB, Telegram's limit for bots). */
  maxUploadBytes?: number;
  /** Webhook delivery tuning: tries per update (default 5), first backoff (default 20 ms, doubling up to `maxBackoffMs`), per-try timeout (default 10 s). */
  webhook?: { maxAttempts?: number; backoffMs?: number; timeoutMs?: number; maxBackoffMs?: number };
}

/** A successful outgoing call that created, changed or deleted a message. */
export interface SentRecord {
  /** Position in {@link FakeTelegram.sent}; pass it as `since` to {@link FakeTelegram.waitForSent}. */
  index: number;
  /** Canonical method name, e.g. `sendMessage`. */
  method: string;
  /** Numeric id of the target chat. */
  chatId: ChatId;
  /** Decoded request parameters (file uploads appear as `attach://…` or a file_id). */
  params: Params;
  /** Snapshot of the resulting message (for `deleteMessage`: the deleted message). */
  message: Message | undefined;
  /** `Date.now()` when it was recorded. */
  at: number;
}

/** Any request the fake received (including failed ones and webhook replies). */
export interface CallRecord {
  index: number;
  /** Canonical method name when known, else the name as requested. */
  method: string;
  /** `GET`, `POST`, or `WEBHOOK-REPLY` for a method returned in a webhook response body. */
  httpMethod: string;
  params: Params;
  at: number;
  /** HTTP status of the answer; `undefined` while the request (e.g. a long poll) is pending. */
  status?: number;
  /** Error description when the answer was not ok. */
  description?: string;
}

/** An `answerCallbackQuery` the app made. */
export interface CallbackAnswer {
  callbackQueryId: string;
  chatId: ChatId | undefined;
  data: string | undefined;
  text: string | undefined;
  showAlert: boolean;
  url: string | undefined;
  params: Params;
  at: number;
}

/** A fault to inject with {@link FakeTelegram.injectFault}. */
export interface FaultSpec {
  /** Method to fail (case-insensitive), or `"*"` for any method. */
  method: string;
  error_code: number;
  /** Defaults to Telegram's text for the code (429: `Too Many Requests: retry after N`). */
  description?: string;
  /** For 429: seconds in `parameters.retry_after` (default 1). */
  retry_after?: number;
  /** How many matching calls fail (default 1; `Infinity` for all). */
  count?: number;
  /** Only fail calls to this chat. */
  chatId?: ChatId;
  /**
   * For 429 on a send method: like Telegram, the retry_after holds: every send before it runs
   * out is answered 429 too (with the seconds left) — to this chat when the fault names one
   * (the chat's flood limit), to every chat otherwise (the bot's). Default true; `false` for a
   * one-off answer that the very next call may ignore.
   */
  hold?: boolean;
}

/** A call the fake carries out but whose answer never reaches the app (see {@link FakeTelegram.loseResponse}). */
export interface LostResponseSpec {
  /** Method (case-insensitive), or `"*"`. */
  method: string;
  /** `reset`: the connection is cut right after the call was applied; `hang`: no answer ever comes (the client times out). */
  mode: "reset" | "hang";
  /** How many matching successful calls lose their answer (default 1). */
  count?: number;
  /** Only calls to this chat. */
  chatId?: ChatId;
}

/** A call that failed because of an injected fault. */
export interface FaultRecord {
  method: string;
  chatId: ChatId | undefined;
  error_code: number;
  description: string;
  retry_after: number | undefined;
  params: Params;
  at: number;
}

/** One attempt to POST an update to the webhook. */
export interface WebhookDelivery {
  updateId: number;
  attempt: number;
  url: string;
  /** HTTP status the app answered; `null` while the POST is in flight, or when it failed (see `error`). */
  status: number | null;
  error: string | undefined;
  secretTokenSent: boolean;
  at: number;
}

/** Counters for assertions and benchmarks. */
export interface FakeTelegramStats {
  /** Bot API requests received (HTTP and webhook replies). */
  requests: number;
  /** Successful message-creating sends (`sendMessage`, `sendPhoto`, `sendDocument`). */
  sentOk: number;
  /** All 429 answers (rate limit and injected). */
  tooManyRequests: number;
  /** 429 answers produced by the rate limiter, or by a retry_after still running (see {@link FaultSpec.hold}). */
  rateLimited: number;
  /** Calls failed by {@link FakeTelegram.injectFault}. */
  faultsInjected: number;
  /** All answers with `ok: false`. */
  errors: number;
  /** Updates created by pushUpdate and the helpers. */
  updatesPushed: number;
  /** Updates not yet confirmed (polling) or acknowledged (webhook). */
  pendingUpdates: number;
  /** Updates the webhook delivery gave up on after the last retry. */
  webhookGaveUp: number;
}

/** The update kinds a test may push; payloads are loose (missing `date`s are filled in). */
export type UpdateInput = { [K in Exclude<keyof Update, "update_id">]?: object };

/** A file the fake stores (uploaded by the app, or added by a test with {@link FakeTelegram.addFile}). */
export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  file_size: number;
  file_name: string | undefined;
  mime_type: string | undefined;
  content: Buffer;
}

/** Description of a chat for {@link FakeTelegram.knownChat}. */
export interface ChatInfo {
  type?: "private" | "group" | "supergroup" | "channel";
  title?: string;
  first_name?: string;
  last_name?: string;
  username?: string;
}

// ---------------------------------------------------------------------------------------------
// Internal types and constants
// ---------------------------------------------------------------------------------------------

type JsonObject = Record<string, unknown>;

interface UploadedPart {
  filename: string | undefined;
  contentType: string | undefined;
  data: Buffer;
}

interface ApiCall {
  params: Params;
  files: Map<string, UploadedPart>;
  /** Aborted when the HTTP client goes away (so a long poll stops waiting). */
  signal: AbortSignal;
}

interface Envelope {
  status: number;
  body: JsonObject;
}

interface ChatState {
  chat: JsonObject & { id: number; type: string };
  /** A private chat is writable only after the user interacted with the bot privately. */
  privateStarted: boolean;
  nextMessageId: number;
  messages: Map<number, Message>;
}

interface Webhook {
  url: string;
  secretToken: string | undefined;
  maxConnections: number;
  generation: number;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

type Handler = (call: ApiCall) => unknown;

const DEFAULT_TOKEN = "123456:TEST-token";
const DEFAULT_USERNAME = "so_lien_lac_test_bot";
const MiB = 1024 * 1024;
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
const MAX_CALLBACK_DATA_BYTES = 64;
const FIRST_UPDATE_ID = 512_000_100;

/** Update kinds Telegram withholds unless `allowed_updates` names them. */
const NOT_DELIVERED_BY_DEFAULT = new Set(["chat_member", "message_reaction", "message_reaction_count"]);
/** Update payloads that carry a `date` the fake fills in. */
const DATED_PAYLOADS = [
  "message", "edited_message", "channel_post", "edited_channel_post", "business_message",
  "my_chat_member", "chat_member", "chat_join_request", "message_reaction",
] as const;
/** Methods counted by the rate limiter and `stats().sentOk`. */
const SEND_METHODS = new Set(["sendMessage", "sendPhoto", "sendDocument"]);

const CONFLICT_WEBHOOK = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
const CONFLICT_TERMINATED = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
const QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid";

/** Form fields arrive as strings; these are JSON on the wire (Telegram parses them). */
const JSON_FIELDS = new Set([
  "reply_markup", "entities", "caption_entities", "allowed_updates", "commands", "scope",
  "link_preview_options", "reply_parameters", "media",
]);
const INTEGER_FIELDS = new Set([
  "offset", "limit", "timeout", "message_id", "reply_to_message_id", "cache_time", "max_connections", "message_thread_id",
]);
const BOOLEAN_FIELDS = new Set([
  "show_alert", "drop_pending_updates", "disable_notification", "protect_content", "disable_web_page_preview",
  "allow_sending_without_reply", "has_spoiler", "disable_content_type_detection",
]);

const MIME_BY_EXTENSION: Record<string, string> = {
  pdf: "application/pdf", csv: "text/csv", txt: "text/plain", json: "application/json",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", zip: "application/zip",
};

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number },
  ) {
    super(description);
  }
}

function badRequest(what: string): ApiError {
  return new ApiError(400, `Bad Request: ${what}`);
}

function tooManyRequests(retryAfter: number): ApiError {
  return new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
}

// ---------------------------------------------------------------------------------------------
// Small event primitive: lets long polls and the webhook loop sleep until something changes
// ---------------------------------------------------------------------------------------------

/** Wakes every waiter on `notify()`; waiters also wake on their timeout or abort. No polling. */
class ChangeSignal {
  private readonly waiters = new Set<() => void>();

  wait(timeoutMs: number, abort?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        abort?.removeEventListener("abort", done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref(); // a forgotten fake must not keep the test process alive
      abort?.addEventListener("abort", done, { once: true });
      this.waiters.add(done);
    });
  }

  notify(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

function delay(ms: number, abort: AbortSignal): Promise<void> {
  return new ChangeSignal().wait(ms, abort);
}

// ---------------------------------------------------------------------------------------------
// Rate limiter: rolling windows like Telegram's flood control
// ---------------------------------------------------------------------------------------------

class RateLimiter {
  private readonly global: number[] = [];
  private readonly perChat = new Map<string, number[]>();
  private readonly perGroup = new Map<string, number[]>();

  constructor(readonly limits: RateLimit) {}

  /** Seconds to wait (≥ 1) if one more send to `chatKey` now would exceed a limit. */
  retryAfter(chatKey: string, isGroup: boolean, now: number): number | undefined {
    const waits = [
      waitFor(this.global, this.limits.globalPerSecond, 1000, now),
      waitFor(this.window(this.perChat, chatKey), this.limits.perChatPerSecond, 1000, now),
    ];
    if (isGroup && this.limits.perGroupPerMinute !== undefined) {
      waits.push(waitFor(this.window(this.perGroup, chatKey), this.limits.perGroupPerMinute, 60_000, now));
    }
    const worst = Math.max(...waits.map((w) => w ?? 0));
    return worst > 0 ? worst : undefined;
  }

  record(chatKey: string, isGroup: boolean, now: number): void {
    this.global.push(now);
    this.window(this.perChat, chatKey).push(now);
    if (isGroup) this.window(this.perGroup, chatKey).push(now);
  }

  private window(map: Map<string, number[]>, key: string): number[] {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    return list;
  }
}

/** Drops timestamps older than the window; returns whole seconds until a slot frees, if full. */
function waitFor(stamps: number[], max: number, windowMs: number, now: number): number | undefined {
  while (stamps.length > 0 && stamps[0]! <= now - windowMs) stamps.shift();
  if (max <= 0) return 1;
  if (stamps.length < max) return undefined;
  const oldestThatMustExpire = stamps[stamps.length - max]!;
  return Math.max(1, Math.ceil((oldestThatMustExpire + windowMs - now) / 1000));
}

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

/**
 * A fake Telegram Bot API server. Start one per test file (or test), point grammY at
 * {@link FakeTelegram.apiRoot}, drive it with {@link FakeTelegram.userMessage} /
 * {@link FakeTelegram.pushUpdate}, and assert with {@link FakeTelegram.sent} /
 * {@link FakeTelegram.waitForSent}. Always {@link FakeTelegram.close} it.
 */
export class FakeTelegram {
  /** Base URL for grammY's `client.apiRoot`, e.g. `http://127.0.0.1:43123` (no trailing slash). */
  readonly apiRoot: string;
  /** The bot token the fake accepts. */
  readonly token: string;
  /** The bot's `username` (as returned by `getMe`). */
  readonly botUsername: string;
  /** The bot's user id (the numeric prefix of the token). */
  readonly botId: number;

  private readonly server: Server;
  private readonly maxUploadBytes: number;
  private readonly webhookTuning: { maxAttempts: number; backoffMs: number; timeoutMs: number; maxBackoffMs: number };
  private readonly handlers: Map<string, { name: string; fn: Handler }>;
  private readonly events = new EventEmitter();
  private readonly changed = new ChangeSignal();
  private readonly closing = new AbortController();
  private readonly inflight = new Set<Promise<void>>();

  private closed = false;
  private nextUpdateId = FIRST_UPDATE_ID;
  private pending: Update[] = [];
  private readonly issuedUpdates = new WeakSet<object>();
  private allowedUpdates: Set<string> | null = null;
  private activePoll: { terminated: boolean } | null = null;
  private webhook: Webhook | null = null;
  private webhookGeneration = 0;
  private limiter: RateLimiter | null = null;
  /** Running retry_afters of injected 429s (ms timestamps): per chat, and the bot's. */
  private readonly chatHolds = new Map<string, number>();
  private botHold = 0;

  private readonly chats = new Map<string, ChatState>();
  private readonly blocked = new Set<string>();
  private readonly files = new Map<string, StoredFile>();
  private readonly callbackQueries = new Map<string, { answered: boolean; chatId: ChatId | undefined; data: string | undefined }>();
  private readonly commands = new Map<string, unknown[]>();
  private fileCounter = 0;
  private callbackCounter = 0n;

  private readonly callLog: CallRecord[] = [];
  private readonly sentLog: SentRecord[] = [];
  private readonly answerLog: CallbackAnswer[] = [];
  private readonly faultLog: FaultRecord[] = [];
  private readonly deliveryLog: WebhookDelivery[] = [];
  private readonly faultRules: (FaultSpec & { remaining: number })[] = [];
  private readonly lostRules: (LostResponseSpec & { remaining: number })[] = [];
  private readonly lostLog: { method: string; chatId: ChatId | undefined }[] = [];
  /** Requests left unanswered on purpose (`loseResponse` with `hang`); cut on close. */
  private readonly hung = new Set<ServerResponse>();
  private readonly counters = { requests: 0, sentOk: 0, tooManyRequests: 0, rateLimited: 0, faultsInjected: 0, errors: 0, updatesPushed: 0, webhookGaveUp: 0 };

  private constructor(server: Server, options: FakeTelegramOptions) {
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.apiRoot = `http://127.0.0.1:${port}`;
    this.token = options.token ?? DEFAULT_TOKEN;
    this.botUsername = options.botUsername ?? DEFAULT_USERNAME;
    this.botId = Number.parseInt(this.token.split(":")[0] ?? "", 10) || 123456;
    this.maxUploadBytes = options.maxUploadBytes ?? 50 * MiB;
    this.webhookTuning = { maxAttempts: 5, backoffMs: 20, timeoutMs: 10_000, maxBackoffMs: Infinity, ...options.webhook };
    if (options.rateLimit) this.limiter = new RateLimiter(options.rateLimit);
    this.events.setMaxListeners(0); // many concurrent waitForSent calls are legitimate
    this.handlers = this.buildHandlers();
    server.on("request", (req: IncomingMessage, res: ServerResponse) => this.track(req, res));
  }

  /** Starts a fake on 127.0.0.1 with an ephemeral port. */
  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const server = createServer();
    // Long polls are held open on purpose; Node's default timeouts would cut them.
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return new FakeTelegram(server, options);
  }

  /**
   * Stops the server: pending long polls resolve with `[]`, webhook delivery stops, and all
   * sockets (including grammY's keep-alive ones) are closed. Idempotent.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const res of this.hung) res.destroy();
    this.closing.abort();
    this.changed.notify();
    await Promise.allSettled([...this.inflight]);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // -------------------------------------------------------------------------------------------
  // Control surface: updates
  // -------------------------------------------------------------------------------------------

  /**
   * Queues an update as Telegram would create it: assigns the next `update_id`, fills missing
   * `date`s (and a message's `message_id`), marks its chats known, and hands it to the long
   * poll or the webhook. Returns the full update.
   *
   * Passing an update this fake already returned (e.g. `pushUpdate(fake.userMessage(…))`) is a
   * no-op that returns it, because the helpers push already; to deliver the same update twice
   * use {@link FakeTelegram.redeliver}.
   */
  pushUpdate(input: UpdateInput): Update {
    if (this.issuedUpdates.has(input)) return input as Update;
    if ("update_id" in input) {
      throw new Error("pushUpdate assigns update_id itself; use redeliver(update) to deliver an update again");
    }
    const update = { update_id: this.nextUpdateId++, ...structuredClone(input) } as Update;
    this.fillDates(update);
    this.learnFromUpdate(update);
    this.issuedUpdates.add(update);
    this.counters.updatesPushed += 1;
    return this.enqueue(update);
  }

  /**
   * Queues an already issued update again with the same `update_id`, to test deduplication
   * (Telegram redelivers webhook updates that were not acknowledged in time). In polling mode an
   * update below the confirmed offset is dropped by the next `getUpdates`, as it would be.
   */
  redeliver(update: Update): Update {
    return this.enqueue(structuredClone(update));
  }

  /** Pushes a private-chat text message from `user` (with a `bot_command` entity for "/…"). */
  userMessage(user: TgUser, text: string): Update {
    return this.pushUpdate({ message: { from: tgFrom(user), chat: privateChat(user), text, ...commandEntities(text) } });
  }

  /** Pushes a text message from `user` in a group chat (negative id; ≤ -10^12 is a supergroup). */
  groupMessage(user: TgUser, groupChatId: number, text: string): Update {
    const chat = this.chats.get(String(groupChatId))?.chat ?? groupChat(groupChatId);
    return this.pushUpdate({ message: { from: tgFrom(user), chat, text, ...commandEntities(text) } });
  }

  /**
   * Pushes a button press by `user` on a message the bot sent in `chatId` (default: the user's
   * private chat). Without `messageId` it picks the latest bot message whose inline keyboard has
   * a button with this `data`, else the latest bot message with a keyboard. Data need not match
   * a button (to test forged or stale presses).
   */
  callbackQuery(user: TgUser, data: string, messageId?: number, chatId: ChatId = user.id): Update {
    const message = this.findCallbackMessage(chatId, data, messageId);
    const id = String(4_382_910_293_847_562_000n + this.callbackCounter++);
    this.callbackQueries.set(id, { answered: false, chatId: message.chat.id, data });
    return this.pushUpdate({
      callback_query: { id, from: tgFrom(user), message, chat_instance: chatInstance(message.chat.id), data },
    });
  }

  /** Stores `content` as a file and pushes a private message from `user` carrying it as a document. */
  userDocument(user: TgUser, doc: { filename: string; content: Buffer | string; mimeType?: string; caption?: string }): Update {
    const file = this.storeFile("documents", Buffer.from(doc.content), doc.filename, doc.mimeType);
    const caption = doc.caption === undefined ? {} : { caption: doc.caption };
    return this.pushUpdate({ message: { from: tgFrom(user), chat: privateChat(user), document: documentOf(file), ...caption } });
  }

  /** Stores a file the app may later fetch with `getFile`; returns its record (with `file_id`). */
  addFile(content: Buffer | string, options: { filename?: string; mimeType?: string } = {}): StoredFile {
    return this.storeFile("documents", Buffer.from(content), options.filename, options.mimeType);
  }

  /** Makes a chat known without an update (private ids > 0 count as started). */
  knownChat(id: number, info: ChatInfo = {}): void {
    const type = info.type ?? (id > 0 ? "private" : id <= -1_000_000_000_000 ? "supergroup" : "group");
    const chat = type === "private" ? { id, type, first_name: info.first_name ?? `User ${id}`, ...pick(info, "last_name", "username") } : { id, type, title: info.title ?? `Group ${id}`, ...pick(info, "username") };
    const state = this.chatState(chat);
    state.chat = chat;
    if (type === "private") state.privateStarted = true;
  }

  /** The user blocks the bot (private chat) or removes it (group): sends answer 403. */
  block(chatId: ChatId): void {
    const key = String(chatId);
    if (!this.chats.has(key) && typeof chatId === "number") this.knownChat(chatId);
    this.blocked.add(key);
  }

  /** Undoes {@link FakeTelegram.block}. */
  unblock(chatId: ChatId): void {
    this.blocked.delete(String(chatId));
  }

  // -------------------------------------------------------------------------------------------
  // Control surface: faults and rate limits
  // -------------------------------------------------------------------------------------------

  /** Makes the next `count` matching calls fail with the given error envelope. */
  injectFault(spec: FaultSpec): void {
    this.faultRules.push({ ...spec, remaining: spec.count ?? 1 });
  }

  /**
   * The next `count` matching calls are carried out (a send is delivered and recorded in
   * {@link FakeTelegram.sent}) but their answer is lost: the connection is reset, or the
   * request hangs until the client gives up. What a timeout or a dropped connection after
   * Telegram applied the call looks like to the app.
   */
  loseResponse(spec: LostResponseSpec): void {
    this.lostRules.push({ ...spec, remaining: spec.count ?? 1 });
  }

  /** Calls whose answer was lost (method and chat), oldest first. */
  lostResponses(): { method: string; chatId: ChatId | undefined }[] {
    return [...this.lostLog];
  }

  /** Turns Telegram-like flood control on (or off with `null`); history restarts. */
  setRateLimit(limits: RateLimit | null): void {
    this.limiter = limits ? new RateLimiter(limits) : null;
  }

  // -------------------------------------------------------------------------------------------
  // Control surface: assertions
  // -------------------------------------------------------------------------------------------

  /** Successful message-changing calls (send*, edit*, deleteMessage), oldest first. */
  sent(filter: { chatId?: ChatId; method?: string } = {}): SentRecord[] {
    return this.sentLog.filter((r) => matchesSent(r, filter));
  }

  /**
   * Resolves with the first sent record (at index ≥ `since`) matching `predicate`, whether it is
   * already recorded or arrives later; rejects after `timeoutMs` listing what was sent.
   */
  waitForSent(predicate: (record: SentRecord) => boolean, { timeoutMs = 5000, since = 0 }: { timeoutMs?: number; since?: number } = {}): Promise<SentRecord> {
    const existing = this.sentLog.slice(since).find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const finish = (outcome: () => void): void => {
        clearTimeout(timer);
        this.events.off("sent", onSent);
        outcome();
      };
      const onSent = (record: SentRecord): void => {
        try {
          if (predicate(record)) finish(() => resolve(record));
        } catch (error) {
          finish(() => reject(error));
        }
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`waitForSent: nothing matched within ${timeoutMs} ms; ${this.describeSent(since)}`))), timeoutMs);
      this.events.on("sent", onSent);
    });
  }

  /** Every Bot API request received, optionally only for one method (case-insensitive). */
  calls(method?: string): CallRecord[] {
    return method === undefined ? [...this.callLog] : this.callLog.filter((c) => c.method.toLowerCase() === method.toLowerCase());
  }

  /** Every `answerCallbackQuery` that succeeded. */
  callbackAnswers(): CallbackAnswer[] {
    return [...this.answerLog];
  }

  /** Calls failed by injected faults. */
  faults(): FaultRecord[] {
    return [...this.faultLog];
  }

  /** Every webhook POST attempt with the status the app answered. */
  webhookDeliveries(): WebhookDelivery[] {
    return [...this.deliveryLog];
  }

  /** The current webhook URL, or `undefined` when polling. */
  webhookUrl(): string | undefined {
    return this.webhook?.url;
  }

  /** Commands set with `setMyCommands` for a scope type (default `"default"`) and language. */
  myCommands(scopeType = "default", languageCode = ""): unknown[] {
    return this.commands.get(`${scopeType}|${languageCode}`) ?? [];
  }

  /** A stored file by `file_id`. */
  file(fileId: string): StoredFile | undefined {
    return this.files.get(fileId);
  }

  /** Counters: requests, successful sends, 429s, faults, errors, updates. */
  stats(): FakeTelegramStats {
    return { ...this.counters, pendingUpdates: this.pending.length };
  }

  // -------------------------------------------------------------------------------------------
  // HTTP layer
  // -------------------------------------------------------------------------------------------

  /** Keeps a promise per request so close() can let pending answers flush before cutting sockets. */
  private track(req: IncomingMessage, res: ServerResponse): void {
    const done = new Promise<void>((resolve) => {
      res.once("finish", resolve);
      res.once("close", resolve);
    });
    this.inflight.add(done);
    void done.then(() => this.inflight.delete(done));
    this.onRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent) writeJson(res, { status: 500, body: { ok: false, error_code: 500, description: `Internal Server Error: ${String(error)}` } });
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.apiRoot);
    if (url.pathname.startsWith("/file/")) return this.serveFile(url.pathname, res);
    const match = /^\/bot([^/]*)\/([^/]+)\/?$/.exec(url.pathname);
    const { body, tooLarge } = await readBody(req, this.maxUploadBytes + MiB);
    if (!match) return writeJson(res, errorEnvelope(new ApiError(404, "Not Found")));
    const [, token = "", rawMethod = ""] = match;
    const record = this.recordCall(rawMethod, req.method ?? "GET");
    const aborted = new AbortController();
    res.once("close", () => aborted.abort());
    const envelope = await this.answer(token, rawMethod, req, url, body, tooLarge, aborted.signal, record);
    const lost = envelope.body.ok === true ? this.lostRules.find((r) => r.remaining > 0 && faultMatches(r, record.method, record.params)) : undefined;
    if (lost) {
      lost.remaining -= 1;
      this.lostLog.push({ method: record.method, chatId: record.params.chat_id as ChatId | undefined });
      if (lost.mode === "hang") return void this.hung.add(res);
      return void res.destroy();
    }
    writeJson(res, envelope);
  }

  private async answer(
    token: string, rawMethod: string, req: IncomingMessage, url: URL, body: Buffer, tooLarge: boolean, signal: AbortSignal, record: CallRecord,
  ): Promise<Envelope> {
    if (token !== this.token) return this.finishCall(record, errorEnvelope(new ApiError(401, "Unauthorized")));
    if (tooLarge) return this.finishCall(record, errorEnvelope(new ApiError(413, "Request Entity Too Large")));
    let decoded: { params: Params; files: Map<string, UploadedPart> };
    try {
      decoded = decodeParams(req.headers["content-type"], url.searchParams, body);
    } catch (error) {
      return this.finishCall(record, errorEnvelope(asApiError(error)));
    }
    record.params = decoded.params;
    return this.execute(rawMethod, { ...decoded, signal }, record);
  }

  private recordCall(rawMethod: string, httpMethod: string): CallRecord {
    const record: CallRecord = {
      index: this.callLog.length,
      method: this.handlers.get(rawMethod.toLowerCase())?.name ?? rawMethod,
      httpMethod,
      params: {},
      at: Date.now(),
    };
    this.callLog.push(record);
    this.counters.requests += 1;
    return record;
  }

  private finishCall(record: CallRecord, envelope: Envelope): Envelope {
    record.status = envelope.status;
    if (envelope.body.ok !== true) {
      record.description = String(envelope.body.description);
      this.counters.errors += 1;
      if (envelope.status === 429) this.counters.tooManyRequests += 1;
    }
    return envelope;
  }

  /** Runs one Bot API method: faults, flood control, then the handler. */
  private async execute(rawMethod: string, call: ApiCall, record: CallRecord): Promise<Envelope> {
    const handler = this.handlers.get(rawMethod.toLowerCase());
    if (!handler) return this.finishCall(record, errorEnvelope(new ApiError(404, "Not Found")));
    try {
      this.holdCheck(handler.name, call.params);
      this.applyFault(handler.name, call.params);
      const flood = this.floodCheck(handler.name, call.params);
      const result: unknown = await handler.fn(call);
      flood?.();
      if (SEND_METHODS.has(handler.name)) this.counters.sentOk += 1;
      return this.finishCall(record, { status: 200, body: { ok: true, result } });
    } catch (error) {
      return this.finishCall(record, errorEnvelope(asApiError(error)));
    }
  }

  private applyFault(method: string, params: Params): void {
    const rule = this.faultRules.find((r) => r.remaining > 0 && faultMatches(r, method, params));
    if (!rule) return;
    rule.remaining -= 1;
    const error = faultError(rule);
    this.counters.faultsInjected += 1;
    if (error.code === 429 && rule.hold !== false && SEND_METHODS.has(method)) {
      const until = Date.now() + (error.parameters?.retry_after ?? 1) * 1000;
      if (rule.chatId === undefined) this.botHold = Math.max(this.botHold, until);
      else this.chatHolds.set(this.chatKey(params.chat_id), Math.max(this.chatHolds.get(this.chatKey(params.chat_id)) ?? 0, until));
    }
    this.faultLog.push({
      method, chatId: normalizeChatId(params.chat_id), error_code: error.code, description: error.description,
      retry_after: error.parameters?.retry_after, params, at: Date.now(),
    });
    throw error;
  }

  /** Throws 429 (the seconds left) for a send made while a 429's retry_after still runs for the bot or for this chat. */
  private holdCheck(method: string, params: Params): void {
    if (!SEND_METHODS.has(method)) return;
    const now = Date.now();
    const until = Math.max(this.botHold, this.chatHolds.get(this.chatKey(params.chat_id)) ?? 0);
    if (until <= now) return;
    this.counters.rateLimited += 1;
    throw tooManyRequests(Math.max(1, Math.ceil((until - now) / 1000)));
  }

  private chatKey(chatId: unknown): string {
    const state = this.findChat(chatId);
    return state ? String(state.chat.id) : String(chatId);
  }

  /** Throws 429 when a send would exceed the limits; returns a commit callback for success. */
  private floodCheck(method: string, params: Params): (() => void) | undefined {
    const limiter = this.limiter;
    if (!limiter || !SEND_METHODS.has(method)) return undefined;
    const state = this.findChat(params.chat_id);
    const key = state ? String(state.chat.id) : String(params.chat_id);
    const isGroup = state ? state.chat.type !== "private" : false;
    const retryAfter = limiter.retryAfter(key, isGroup, Date.now());
    if (retryAfter !== undefined) {
      this.counters.rateLimited += 1;
      throw tooManyRequests(retryAfter);
    }
    return () => limiter.record(key, isGroup, Date.now());
  }

  private serveFile(pathname: string, res: ServerResponse): void {
    const prefix = `/file/bot${this.token}/`;
    if (!pathname.startsWith(prefix)) return writeJson(res, errorEnvelope(new ApiError(401, "Unauthorized")));
    const filePath = decodeURIComponent(pathname.slice(prefix.length));
    const file = [...this.files.values()].find((f) => f.file_path === filePath);
    if (!file) return writeJson(res, errorEnvelope(new ApiError(404, "Not Found")));
    res.writeHead(200, { "content-type": file.mime_type ?? "application/octet-stream", "content-length": file.content.length });
    res.end(file.content);
  }

  // -------------------------------------------------------------------------------------------
  // Bot API methods
  // -------------------------------------------------------------------------------------------

  private buildHandlers(): Map<string, { name: string; fn: Handler }> {
    const table: Record<string, Handler> = {
      getMe: () => this.botUser(true),
      getUpdates: (call) => this.getUpdates(call),
      setWebhook: (call) => this.setWebhook(call.params),
      deleteWebhook: (call) => this.deleteWebhook(call.params),
      getWebhookInfo: () => this.webhookInfo(),
      sendMessage: (call) => this.sendMessage(call.params),
      editMessageText: (call) => this.editMessageText(call.params),
      editMessageReplyMarkup: (call) => this.editMessageReplyMarkup(call.params),
      deleteMessage: (call) => this.deleteMessage(call.params),
      answerCallbackQuery: (call) => this.answerCallbackQuery(call.params),
      sendPhoto: (call) => this.sendMedia("sendPhoto", call),
      sendDocument: (call) => this.sendMedia("sendDocument", call),
      sendChatAction: (call) => (this.requireChat(call.params), true),
      setMyCommands: (call) => this.setMyCommands(call.params),
      getMyCommands: (call) => this.commands.get(commandsKey(call.params)) ?? [],
      deleteMyCommands: (call) => (this.commands.delete(commandsKey(call.params)), true),
      getFile: (call) => this.getFile(call.params),
    };
    return new Map(Object.entries(table).map(([name, fn]) => [name.toLowerCase(), { name, fn }]));
  }

  private botUser(full: boolean): JsonObject {
    const user = { id: this.botId, is_bot: true, first_name: "Sổ liên lạc (test)", username: this.botUsername };
    if (!full) return user;
    return { ...user, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false };
  }

  /** Real long polling: waits on a change signal, never spins. */
  private async getUpdates(call: ApiCall): Promise<Update[]> {
    const { params, signal } = call;
    if (this.webhook) throw new ApiError(409, CONFLICT_WEBHOOK);
    this.confirm(integer(params.offset));
    this.setAllowedUpdates(params.allowed_updates);
    const limit = Math.min(100, Math.max(1, integer(params.limit) ?? 100));
    const deadline = Date.now() + Math.max(0, integer(params.timeout) ?? 0) * 1000;
    const poll = this.takeOverPolling();
    try {
      let batch = this.deliverable(limit);
      while (batch.length === 0 && !this.closed && !poll.terminated && !signal.aborted && !this.webhook && Date.now() < deadline) {
        await this.changed.wait(deadline - Date.now(), signal);
        batch = this.deliverable(limit);
      }
      if (poll.terminated) throw new ApiError(409, CONFLICT_TERMINATED);
      return structuredClone(batch);
    } finally {
      if (this.activePoll === poll) this.activePoll = null;
    }
  }

  /** Like Telegram, a new getUpdates ends the one still waiting (a second poller is a bug). */
  private takeOverPolling(): { terminated: boolean } {
    if (this.activePoll) {
      this.activePoll.terminated = true;
      this.changed.notify();
    }
    const poll = { terminated: false };
    this.activePoll = poll;
    return poll;
  }

  /** `offset` confirms every update below it; a negative offset keeps only the last |offset|. */
  private confirm(offset: number | undefined): void {
    if (offset === undefined) return;
    this.pending = offset < 0 ? this.pending.slice(offset) : this.pending.filter((u) => u.update_id >= offset);
  }

  private setAllowedUpdates(value: unknown): void {
    if (!Array.isArray(value)) return; // omitted: Telegram keeps the previous setting
    this.allowedUpdates = value.length === 0 ? null : new Set(value.map(String));
  }

  private isAllowed(update: Update): boolean {
    const kind = updateKind(update);
    return this.allowedUpdates ? this.allowedUpdates.has(kind) : !NOT_DELIVERED_BY_DEFAULT.has(kind);
  }

  private deliverable(limit: number): Update[] {
    return this.pending.filter((u) => this.isAllowed(u)).slice(0, limit);
  }

  private enqueue(update: Update): Update {
    this.pending.push(update);
    this.changed.notify();
    return update;
  }

  private setWebhook(params: Params): true {
    const url = typeof params.url === "string" ? params.url : "";
    if (url === "") return this.deleteWebhook(params);
    if (!/^https?:\/\//.test(url) || !URL.canParse(url)) throw badRequest("bad webhook: invalid webhook URL specified");
    const secret = params.secret_token === undefined ? undefined : String(params.secret_token);
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw badRequest("secret token contains unallowed characters");
    if (params.drop_pending_updates === true) this.pending = [];
    this.setAllowedUpdates(params.allowed_updates);
    const generation = ++this.webhookGeneration;
    this.webhook = { url, secretToken: secret, maxConnections: integer(params.max_connections) ?? 40, generation };
    this.changed.notify(); // a waiting long poll must end now
    void this.runWebhook(generation);
    return true;
  }

  private deleteWebhook(params: Params): true {
    if (params.drop_pending_updates === true) this.pending = [];
    this.webhook = null;
    this.webhookGeneration += 1;
    this.changed.notify();
    return true;
  }

  private webhookInfo(): JsonObject {
    const hook = this.webhook;
    const base = { url: hook?.url ?? "", has_custom_certificate: false, pending_update_count: this.pending.length };
    if (!hook) return base;
    const errors = hook.lastErrorDate === undefined ? {} : { last_error_date: hook.lastErrorDate, last_error_message: hook.lastErrorMessage };
    const allowed = this.allowedUpdates ? { allowed_updates: [...this.allowedUpdates] } : {};
    return { ...base, max_connections: hook.maxConnections, ip_address: "127.0.0.1", ...errors, ...allowed };
  }

  private sendMessage(params: Params): Message {
    const state = this.requireChat(params);
    const content = formatted(params.text, params.parse_mode, params.entities);
    checkText(content.text);
    const markup = readReplyMarkup(params.reply_markup);
    const message = this.newMessage(state, { text: content.text, ...entitiesField("entities", content.entities), ...markupField(markup) });
    return this.recordSent("sendMessage", state, params, message);
  }

  private editMessageText(params: Params): Message {
    const state = this.requireChat(params);
    const current = this.editableMessage(state, params.message_id, "message to edit not found");
    if (current.text === undefined) throw badRequest("there is no text in the message to edit");
    const content = formatted(params.text, params.parse_mode, params.entities);
    checkText(content.text);
    const markup = readReplyMarkup(params.reply_markup);
    const next = { ...omit(current, "entities", "reply_markup"), text: content.text, ...entitiesField("entities", content.entities), ...markupField(markup) } as Message;
    return this.replaceMessage("editMessageText", state, params, current, next);
  }

  private editMessageReplyMarkup(params: Params): Message {
    const state = this.requireChat(params);
    const current = this.editableMessage(state, params.message_id, "message to edit not found");
    const next = { ...omit(current, "reply_markup"), ...markupField(readReplyMarkup(params.reply_markup)) } as Message;
    return this.replaceMessage("editMessageReplyMarkup", state, params, current, next);
  }

  private replaceMessage(method: string, state: ChatState, params: Params, current: Message, next: Message): Message {
    if (sameContent(current, next)) throw badRequest(NOT_MODIFIED);
    const edited = { ...next, edit_date: unixNow() } as Message;
    state.messages.set(edited.message_id, edited);
    return this.recordSent(method, state, params, edited);
  }

  private deleteMessage(params: Params): true {
    const state = this.requireChat(params);
    const messageId = integer(params.message_id);
    const message = messageId === undefined ? undefined : state.messages.get(messageId);
    if (!message) throw badRequest("message to delete not found");
    state.messages.delete(message.message_id);
    this.recordSent("deleteMessage", state, params, message);
    return true;
  }

  private answerCallbackQuery(params: Params): true {
    const id = String(params.callback_query_id ?? "");
    const query = this.callbackQueries.get(id);
    if (!query || query.answered) throw badRequest(QUERY_TOO_OLD);
    query.answered = true;
    this.answerLog.push({
      callbackQueryId: id, chatId: query.chatId, data: query.data, text: optionalString(params.text),
      showAlert: params.show_alert === true, url: optionalString(params.url), params, at: Date.now(),
    });
    return true;
  }

  private sendMedia(method: "sendPhoto" | "sendDocument", call: ApiCall): Message {
    const field = method === "sendPhoto" ? "photo" : "document";
    const state = this.requireChat(call.params);
    const file = this.inputFile(call, field);
    const caption = formatted(call.params.caption, call.params.parse_mode, call.params.caption_entities);
    if ([...caption.text].length > MAX_CAPTION) throw badRequest("message caption is too long");
    const media = field === "photo" ? { photo: [photoSizeOf(file)] } : { document: documentOf(file) };
    const captionFields = caption.text === "" ? {} : { caption: caption.text, ...entitiesField("caption_entities", caption.entities) };
    const message = this.newMessage(state, { ...media, ...captionFields, ...markupField(readReplyMarkup(call.params.reply_markup)) });
    return this.recordSent(method, state, call.params, message);
  }

  /** Resolves `attach://` uploads, a direct file part, a known file_id, or an http(s) URL. */
  private inputFile(call: ApiCall, field: "photo" | "document"): StoredFile {
    const value = call.params[field] ?? (call.files.has(field) ? `attach://${field}` : undefined);
    if (typeof value !== "string" || value === "") throw badRequest(`there is no ${field} in the request`);
    if (value.startsWith("attach://")) {
      const part = call.files.get(value.slice("attach://".length));
      if (!part) throw badRequest(`there is no ${field} in the request`);
      if (part.data.length > this.maxUploadBytes) throw new ApiError(413, "Request Entity Too Large");
      return this.storeFile(field === "photo" ? "photos" : "documents", part.data, part.filename, part.contentType);
    }
    const known = this.files.get(value);
    if (known) return known;
    if (/^https?:\/\//.test(value)) return this.storeFile(`${field}s`, Buffer.alloc(0), value.split("/").pop() || undefined, undefined);
    throw badRequest("wrong file identifier/HTTP URL specified");
  }

  private setMyCommands(params: Params): true {
    const commands = params.commands;
    if (!Array.isArray(commands)) throw badRequest("parameter \"commands\" is required");
    for (const entry of commands as JsonObject[]) {
      if (!/^[a-z0-9_]{1,32}$/.test(String(entry?.command ?? ""))) throw badRequest("BOT_COMMAND_INVALID");
      const description = String(entry?.description ?? "");
      if (description.length < 1 || description.length > 256) throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
    }
    this.commands.set(commandsKey(params), structuredClone(commands));
    return true;
  }

  private getFile(params: Params): JsonObject {
    const file = this.files.get(String(params.file_id ?? ""));
    if (!file) throw badRequest("invalid file_id");
    return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, file_path: file.file_path };
  }

  // -------------------------------------------------------------------------------------------
  // Chats and messages
  // -------------------------------------------------------------------------------------------

  /** Telegram's reachability rules: unknown → 400, blocked → 403, never started → 403. */
  private requireChat(params: Params): ChatState {
    const raw = params.chat_id;
    if (raw === undefined || raw === null || raw === "") throw badRequest("chat_id is empty");
    const state = this.findChat(raw);
    if (!state) throw badRequest("chat not found");
    const isPrivate = state.chat.type === "private";
    if (this.blocked.has(String(state.chat.id))) {
      throw new ApiError(403, isPrivate ? "Forbidden: bot was blocked by the user" : "Forbidden: bot was kicked from the group chat");
    }
    if (isPrivate && !state.privateStarted) throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
    return state;
  }

  private findChat(raw: unknown): ChatState | undefined {
    if (typeof raw === "string" && raw.startsWith("@")) {
      const name = raw.slice(1).toLowerCase();
      return [...this.chats.values()].find((s) => String(s.chat.username ?? "").toLowerCase() === name);
    }
    return this.chats.get(String(raw));
  }

  private chatState(chat: JsonObject & { id: number; type: string }): ChatState {
    const key = String(chat.id);
    let state = this.chats.get(key);
    if (!state) {
      state = { chat: { ...chat }, privateStarted: false, nextMessageId: 1, messages: new Map() };
      this.chats.set(key, state);
    }
    return state;
  }

  private newMessage(state: ChatState, fields: JsonObject): Message {
    const message = { message_id: state.nextMessageId++, from: this.botUser(false), chat: { ...state.chat }, date: unixNow(), ...fields } as unknown as Message;
    state.messages.set(message.message_id, message);
    return message;
  }

  private editableMessage(state: ChatState, rawId: unknown, notFound: string): Message {
    const messageId = integer(rawId);
    const message = messageId === undefined ? undefined : state.messages.get(messageId);
    if (!message) throw badRequest(notFound);
    if (message.from?.id !== this.botId) throw badRequest("message can't be edited");
    return message;
  }

  private recordSent(method: string, state: ChatState, params: Params, message: Message): Message {
    const record: SentRecord = { index: this.sentLog.length, method, chatId: state.chat.id, params, message: structuredClone(message), at: Date.now() };
    this.sentLog.push(record);
    this.events.emit("sent", record);
    return message;
  }

  private findCallbackMessage(chatId: ChatId, data: string, messageId: number | undefined): Message {
    const state = this.findChat(chatId);
    const messages = state ? [...state.messages.values()].filter((m) => m.from?.id === this.botId).reverse() : [];
    const message = messageId !== undefined
      ? messages.find((m) => m.message_id === messageId)
      : (messages.find((m) => keyboardHasData(m, data)) ?? messages.find((m) => m.reply_markup !== undefined));
    if (!message) throw new Error(`callbackQuery: no bot message ${messageId ?? "with a keyboard"} in chat ${chatId}`);
    return structuredClone(message);
  }

  private storeFile(folder: string, content: Buffer, filename: string | undefined, mimeType: string | undefined): StoredFile {
    const n = ++this.fileCounter;
    const extension = filename?.includes(".") ? filename.split(".").pop()!.toLowerCase() : folder === "photos" ? "jpg" : "dat";
    const explicitMime = mimeType && mimeType !== "application/octet-stream" ? mimeType : undefined;
    const file: StoredFile = {
      file_id: `${folder === "photos" ? "AgAC" : "BQAC"}${randomBytes(18).toString("base64url")}${n}`,
      file_unique_id: `AQAD${n}${randomBytes(4).toString("hex")}`,
      file_path: `${folder}/file_${n}.${extension}`,
      file_size: content.length,
      file_name: filename,
      mime_type: explicitMime ?? MIME_BY_EXTENSION[extension] ?? "application/octet-stream",
      content,
    };
    this.files.set(file.file_id, file);
    return file;
  }

  // -------------------------------------------------------------------------------------------
  // Updates: bookkeeping
  // -------------------------------------------------------------------------------------------

  private fillDates(update: Update): void {
    const record = update as unknown as Record<string, JsonObject | undefined>;
    for (const kind of DATED_PAYLOADS) {
      const payload = record[kind];
      if (payload && payload.date === undefined) payload.date = unixNow();
    }
  }

  /** Makes chats known and message ids consistent, as Telegram would after a real user action. */
  private learnFromUpdate(update: Update): void {
    const kind = updateKind(update);
    const payload = (update as unknown as Record<string, JsonObject>)[kind];
    if (!payload) return;
    const from = payload.from as TgUser | undefined;
    if (from && !this.chats.has(String(from.id))) this.chatState(privateChat(from));
    if (kind === "callback_query") return this.learnFromCallback(payload);
    const chat = payload.chat as (JsonObject & { id: number; type: string }) | undefined;
    if (!chat) return;
    const state = this.chatState(chat);
    if (chat.type === "private") state.privateStarted = true;
    if (kind === "my_chat_member") this.learnMembership(chat, payload);
    if (isMessageKind(kind)) this.storeIncoming(state, payload);
  }

  private learnFromCallback(payload: JsonObject): void {
    const chat = (payload.message as JsonObject | undefined)?.chat as (JsonObject & { id: number; type: string }) | undefined;
    if (chat?.type === "private") this.chatState(chat).privateStarted = true;
  }

  private learnMembership(chat: JsonObject & { id: number }, payload: JsonObject): void {
    const status = (payload.new_chat_member as JsonObject | undefined)?.status;
    if (status === "kicked" || status === "left") this.blocked.add(String(chat.id));
    if (status === "member" || status === "administrator") this.blocked.delete(String(chat.id));
  }

  private storeIncoming(state: ChatState, payload: JsonObject): void {
    if (typeof payload.message_id !== "number") payload.message_id = state.nextMessageId;
    state.nextMessageId = Math.max(state.nextMessageId, (payload.message_id as number) + 1);
    state.messages.set(payload.message_id as number, structuredClone(payload) as unknown as Message);
  }

  // -------------------------------------------------------------------------------------------
  // Webhook delivery
  // -------------------------------------------------------------------------------------------

  /** Delivers pending updates in order, one at a time, until the webhook changes or the fake closes. */
  private async runWebhook(generation: number): Promise<void> {
    while (this.isCurrentWebhook(generation)) {
      this.pending = this.pending.filter((u) => this.isAllowed(u));
      const next = this.pending[0];
      if (!next) {
        await this.changed.wait(60_000, this.closing.signal);
        continue;
      }
      const acknowledged = await this.deliverWithRetries(next, generation);
      // A webhook removed mid-delivery leaves the update for getUpdates, like Telegram.
      if (!this.isCurrentWebhook(generation)) return;
      if (!acknowledged) this.counters.webhookGaveUp += 1;
      this.pending = this.pending.filter((u) => u !== next);
    }
  }

  private isCurrentWebhook(generation: number): boolean {
    return !this.closed && this.webhook?.generation === generation;
  }

  private async deliverWithRetries(update: Update, generation: number): Promise<boolean> {
    const { maxAttempts, backoffMs, maxBackoffMs } = this.webhookTuning;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const hook = this.webhook;
      if (!hook || !this.isCurrentWebhook(generation)) return false;
      if (await this.postUpdate(hook, update, attempt)) return true;
      if (attempt < maxAttempts) await delay(Math.min(backoffMs * 2 ** (attempt - 1), maxBackoffMs), this.closing.signal);
    }
    return false;
  }

  private async postUpdate(hook: Webhook, update: Update, attempt: number): Promise<boolean> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (hook.secretToken !== undefined) headers["x-telegram-bot-api-secret-token"] = hook.secretToken;
    const delivery: WebhookDelivery = {
      updateId: update.update_id, attempt, url: hook.url, status: null, error: undefined, secretTokenSent: hook.secretToken !== undefined, at: Date.now(),
    };
    this.deliveryLog.push(delivery);
    try {
      const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.webhookTuning.timeoutMs)]);
      const response = await fetch(hook.url, { method: "POST", headers, body: JSON.stringify(update), signal });
      delivery.status = response.status;
      const text = await response.text();
      if (response.ok) await this.runWebhookReply(text);
      else this.noteWebhookError(hook, `Wrong response from the webhook: ${response.status} ${response.statusText}`);
      return response.ok;
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
      this.noteWebhookError(hook, "Connection refused");
      return false;
    }
  }

  private noteWebhookError(hook: Webhook, message: string): void {
    hook.lastErrorDate = unixNow();
    hook.lastErrorMessage = message;
  }

  /** Telegram executes a method returned in the webhook's response body; so does the fake. */
  private async runWebhookReply(text: string): Promise<void> {
    const reply = parseJsonObject(text);
    if (!reply || typeof reply.method !== "string") return;
    const { method, ...params } = reply;
    const record = this.recordCall(method, "WEBHOOK-REPLY");
    record.params = params;
    await this.execute(method, { params, files: new Map(), signal: this.closing.signal }, record);
  }

  private describeSent(since: number): string {
    const recent = this.sentLog.slice(since).slice(-10);
    if (recent.length === 0) return "nothing was sent";
    const lines = recent.map((r) => `#${r.index} ${r.method} → ${r.chatId}: ${JSON.stringify(r.message?.text ?? r.message?.caption ?? "")}`);
    return `sent so far:\n  ${lines.join("\n  ")}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Request decoding
// ---------------------------------------------------------------------------------------------

async function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Keep draining past the limit so the client can read our 413 instead of a reset socket.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return { body: Buffer.concat(chunks), tooLarge: size > limit };
}

/** Merges query string and body (JSON, urlencoded or multipart) into typed parameters. */
function decodeParams(contentType: string | undefined, query: URLSearchParams, body: Buffer): { params: Params; files: Map<string, UploadedPart> } {
  const params: Params = coerceFields(Object.fromEntries(query));
  const files = new Map<string, UploadedPart>();
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (body.length === 0) return { params, files };
  if (type === "application/json") {
    const json = parseJsonObject(body.toString("utf8"));
    if (!json) throw badRequest("can't parse JSON object");
    Object.assign(params, json);
  } else if (type === "application/x-www-form-urlencoded") {
    Object.assign(params, coerceFields(Object.fromEntries(new URLSearchParams(body.toString("utf8")))));
  } else if (type === "multipart/form-data") {
    const parsed = parseMultipart(body, multipartBoundary(contentType ?? ""));
    Object.assign(params, coerceFields(parsed.fields));
    for (const [name, part] of parsed.files) files.set(name, part);
  }
  return { params, files };
}

/** Form values are strings on the wire; Telegram reads them by the parameter's type. */
function coerceFields(fields: Record<string, string>): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(fields)) out[key] = coerceField(key, value);
  return out;
}

function coerceField(key: string, value: string): unknown {
  if (JSON_FIELDS.has(key)) return parseJson(value) ?? value;
  if (INTEGER_FIELDS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOLEAN_FIELDS.has(key)) return value === "true" || value === "1";
  if (key === "chat_id") return normalizeChatId(value);
  return value;
}

function multipartBoundary(contentType: string): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw badRequest("can't parse multipart/form-data: no boundary");
  return boundary;
}

/**
 * A tolerant multipart/form-data parser. Node 20's `Request#formData()` rejects grammY's
 * bodies (`form-data;name="x"` without a space, unquoted `filename=`), which Telegram accepts,
 * so the fake parses them itself.
 */
function parseMultipart(body: Buffer, boundary: string): { fields: Record<string, string>; files: Map<string, UploadedPart> } {
  const fields: Record<string, string> = {};
  const files = new Map<string, UploadedPart>();
  for (const part of splitParts(body, boundary)) {
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd === -1) continue;
    const headers = parsePartHeaders(part.subarray(0, headerEnd).toString("utf8"));
    const data = part.subarray(headerEnd + 4);
    const disposition = dispositionParams(headers.get("content-disposition") ?? "");
    const name = disposition.get("name");
    if (name === undefined) continue;
    const filename = disposition.get("filename*") ?? disposition.get("filename");
    if (filename === undefined) fields[name] = data.toString("utf8");
    else files.set(name, { filename: filename || undefined, contentType: headers.get("content-type"), data: Buffer.from(data) });
  }
  return { fields, files };
}

function splitParts(body: Buffer, boundary: string): Buffer[] {
  const opening = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  const parts: Buffer[] = [];
  let cursor = body.indexOf(opening);
  if (cursor === -1) return parts;
  cursor += opening.length;
  for (;;) {
    if (body.subarray(cursor, cursor + 2).toString() === "--") return parts; // closing delimiter
    const start = body.subarray(cursor, cursor + 2).toString() === "\r\n" ? cursor + 2 : cursor;
    const end = body.indexOf(separator, start);
    if (end === -1) return parts;
    parts.push(body.subarray(start, end));
    cursor = end + separator.length;
  }
}

function parsePartHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** Parses `form-data; name="a"; filename=b c.pdf` (quoted or not, RFC 5987 `filename*`). */
function dispositionParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /;\s*([\w*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (const match of value.matchAll(pattern)) {
    const key = match[1]!.toLowerCase();
    const raw = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : match[3]!.trim();
    params.set(key, key.endsWith("*") ? decodeExtValue(raw) : raw);
  }
  return params;
}

function decodeExtValue(raw: string): string {
  const match = /^[\w-]*'[\w-]*'(.*)$/.exec(raw);
  try {
    return decodeURIComponent(match ? match[1]! : raw);
  } catch {
    return raw;
  }
}

// ---------------------------------------------------------------------------------------------
// Message content: text, parse modes, keyboards
// ---------------------------------------------------------------------------------------------

interface Formatted {
  text: string;
  entities: MessageEntity[];
}

/** Applies `parse_mode` (or explicit entities) like Telegram, turning markup errors into 400s. */
function formatted(raw: unknown, parseMode: unknown, entities: unknown): Formatted {
  if (raw === undefined || raw === null) return { text: "", entities: [] };
  const text = String(raw);
  if (Array.isArray(entities)) return { text, entities: entities as MessageEntity[] };
  try {
    switch (String(parseMode ?? "").toLowerCase()) {
      case "html":
        return parseHtml(text);
      case "markdownv2":
        return parseMarkdownV2(text);
      case "markdown":
        return parseLegacyMarkdown(text);
      default:
        return { text, entities: [] };
    }
  } catch (error) {
    if (error instanceof EntityParseError) throw badRequest(`can't parse entities: ${error.message}`);
    throw error;
  }
}

function checkText(text: string): void {
  if (text.trim() === "") throw badRequest("message text is empty");
  if ([...text].length > MAX_TEXT) throw badRequest("message is too long");
}

class EntityParseError extends Error {}

const HTML_TAGS: Record<string, MessageEntity["type"]> = {
  b: "bold", strong: "bold", i: "italic", em: "italic", u: "underline", ins: "underline",
  s: "strikethrough", strike: "strikethrough", del: "strikethrough", "tg-spoiler": "spoiler", span: "spoiler",
  a: "text_link", code: "code", pre: "pre", blockquote: "blockquote", "tg-emoji": "custom_emoji",
};
const HTML_NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

interface OpenTag {
  tag: string;
  offset: number;
  entity: JsonObject & { type: string };
}

/** Telegram's HTML subset: only its tags, only &lt; &gt; &amp; &quot; and numeric entities. */
function parseHtml(source: string): Formatted {
  let text = "";
  const entities: MessageEntity[] = [];
  const stack: OpenTag[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "<") {
      i = source[i + 1] === "/" ? closeHtmlTag(source, i, stack, entities, text.length) : openHtmlTag(source, i, stack, text.length);
    } else if (ch === "&") {
      const [decoded, next] = decodeHtmlEntity(source, i);
      text += decoded;
      i = next;
    } else {
      text += ch;
      i += 1;
    }
  }
  if (stack.length > 0) throw new EntityParseError(`Can't find end tag corresponding to start tag "${stack[stack.length - 1]!.tag}"`);
  return { text, entities: sortEntities(entities) };
}

function openHtmlTag(source: string, at: number, stack: OpenTag[], offset: number): number {
  const close = source.indexOf(">", at);
  const name = /^<([a-zA-Z][\w-]*)/.exec(source.slice(at))?.[1]?.toLowerCase() ?? "";
  if (!(name in HTML_TAGS)) throw new EntityParseError(`Unsupported start tag "${name}" at byte offset ${byteOffset(source, at)}`);
  if (close === -1) throw new EntityParseError(`Unclosed start tag at byte offset ${byteOffset(source, at)}`);
  const attributes = htmlAttributes(source.slice(at + 1 + name.length, close));
  if (name === "span" && attributes.get("class") !== "tg-spoiler") {
    throw new EntityParseError(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(source, at)}`);
  }
  stack.push({ tag: name, offset, entity: htmlEntity(name, attributes) });
  return close + 1;
}

function htmlEntity(name: string, attributes: Map<string, string>): JsonObject & { type: string } {
  if (name === "a") return { type: "text_link", url: attributes.get("href") ?? "" };
  if (name === "blockquote" && attributes.has("expandable")) return { type: "expandable_blockquote" };
  if (name === "tg-emoji") return { type: "custom_emoji", custom_emoji_id: attributes.get("emoji-id") ?? "" };
  if (name === "code" && attributes.get("class")?.startsWith("language-")) return { type: "code", language: attributes.get("class")!.slice(9) };
  return { type: HTML_TAGS[name]! };
}

function closeHtmlTag(source: string, at: number, stack: OpenTag[], entities: MessageEntity[], offset: number): number {
  const close = source.indexOf(">", at);
  if (close === -1) throw new EntityParseError(`Unclosed end tag at byte offset ${byteOffset(source, at)}`);
  const name = source.slice(at + 2, close).trim().toLowerCase();
  const open = stack.pop();
  if (!open) throw new EntityParseError(`Unexpected end tag at byte offset ${byteOffset(source, at)}`);
  if (open.tag !== name) {
    throw new EntityParseError(`Unmatched end tag at byte offset ${byteOffset(source, at)}, expected "</${open.tag}>", found "</${name}>"`);
  }
  const parent = stack[stack.length - 1];
  // <pre><code class="language-x"> becomes one pre entity with a language, as in Telegram.
  if (open.tag === "code" && parent?.tag === "pre" && typeof open.entity.language === "string") {
    parent.entity.language = open.entity.language;
    return close + 1;
  }
  if (offset > open.offset) entities.push({ ...open.entity, offset: open.offset, length: offset - open.offset } as MessageEntity);
  return close + 1;
}

function htmlAttributes(raw: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of raw.matchAll(/([a-zA-Z][\w-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    const value = match[2] ?? match[3] ?? match[4] ?? "";
    attributes.set(match[1]!.toLowerCase(), decodeHtmlText(value));
  }
  return attributes;
}

function decodeHtmlEntity(source: string, at: number): [string, number] {
  const match = /^&(#\d+|#x[0-9a-f]+|[a-z]+);/i.exec(source.slice(at, at + 12));
  if (!match) return ["&", at + 1];
  const body = match[1]!;
  const decoded = body.startsWith("#x") || body.startsWith("#X")
    ? String.fromCodePoint(Number.parseInt(body.slice(2), 16))
    : body.startsWith("#")
      ? String.fromCodePoint(Number.parseInt(body.slice(1), 10))
      : HTML_NAMED_ENTITIES[body.toLowerCase()];
  // Unknown named entities stay as written, as Telegram does.
  return decoded === undefined ? ["&", at + 1] : [decoded, at + match[0].length];
}

function decodeHtmlText(value: string): string {
  let out = "";
  let i = 0;
  while (i < value.length) {
    const [decoded, next] = value[i] === "&" ? decodeHtmlEntity(value, i) : [value[i]!, i + 1];
    out += decoded;
    i = next;
  }
  return out;
}

const MDV2_RESERVED = new Set([..."_*[]()~`>#+-=|{}.!"]);
const MDV2_MARKERS: [string, MessageEntity["type"], string][] = [
  ["__", "underline", "Underline"], ["||", "spoiler", "Spoiler"], ["*", "bold", "Bold"], ["_", "italic", "Italic"], ["~", "strikethrough", "Strikethrough"],
];

interface OpenMarker {
  marker: string;
  type: string;
  name: string;
  offset: number;
  byteAt: number;
  url?: boolean;
}

/** MarkdownV2: reserved characters must be escaped — the classic cause of 400s in production. */
function parseMarkdownV2(source: string): Formatted {
  let text = "";
  const entities: MessageEntity[] = [];
  const open: OpenMarker[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "\\") {
      if (i + 1 >= source.length) throw new EntityParseError(`Character '\\' is reserved and must be escaped with the preceding '\\'`);
      text += source[i + 1];
      i += 2;
      continue;
    }
    if (ch === "`") {
      const code = readMarkdownCode(source, i, true);
      entities.push({ type: code.pre ? "pre" : "code", offset: text.length, length: code.text.length, ...(code.language ? { language: code.language } : {}) } as MessageEntity);
      text += code.text;
      i = code.next;
      continue;
    }
    const marker = MDV2_MARKERS.find(([m]) => source.startsWith(m, i));
    if (marker) {
      toggleMarker(open, entities, marker, text.length, byteOffset(source, i));
      i += marker[0].length;
      continue;
    }
    if (ch === "[") {
      open.push({ marker: "[", type: "text_link", name: "TextUrl", offset: text.length, byteAt: byteOffset(source, i), url: true });
      i += 1;
      continue;
    }
    if (ch === "]" && open[open.length - 1]?.url && source[i + 1] === "(") {
      i = closeMarkdownLink(source, i, open.pop()!, entities, text.length);
      continue;
    }
    if (ch === ">" && (i === 0 || source[i - 1] === "\n")) {
      i += 1; // blockquote line prefix: accepted, not modelled as an entity
      continue;
    }
    if (MDV2_RESERVED.has(ch)) throw new EntityParseError(`Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
    text += ch;
    i += 1;
  }
  const unclosed = open[open.length - 1];
  if (unclosed) throw new EntityParseError(`Can't find end of ${unclosed.name} entity at byte offset ${unclosed.byteAt}`);
  return { text, entities: sortEntities(entities) };
}

function toggleMarker(open: OpenMarker[], entities: MessageEntity[], [marker, type, name]: [string, string, string], offset: number, byteAt: number): void {
  const index = open.map((o) => o.marker).lastIndexOf(marker);
  if (index === -1) {
    open.push({ marker, type, name, offset, byteAt });
    return;
  }
  const [start] = open.splice(index, 1);
  if (offset > start!.offset) entities.push({ type, offset: start!.offset, length: offset - start!.offset } as MessageEntity);
}

function closeMarkdownLink(source: string, at: number, start: OpenMarker, entities: MessageEntity[], offset: number): number {
  let url = "";
  let i = at + 2;
  while (i < source.length && source[i] !== ")") {
    if (source[i] === "\\" && i + 1 < source.length) i += 1;
    url += source[i];
    i += 1;
  }
  if (i >= source.length) throw new EntityParseError(`Can't find end of a URL at byte offset ${byteOffset(source, at + 2)}`);
  if (offset > start.offset) entities.push({ type: "text_link", offset: start.offset, length: offset - start.offset, url } as MessageEntity);
  return i + 1;
}

function readMarkdownCode(source: string, at: number, v2: boolean): { text: string; next: number; pre: boolean; language?: string | undefined } {
  const pre = source.startsWith("```", at);
  const fence = pre ? "```" : "`";
  let i = at + fence.length;
  let language: string | undefined;
  if (pre) {
    const newline = source.indexOf("\n", i);
    const firstLine = newline === -1 ? "" : source.slice(i, newline);
    if (newline !== -1 && /^[\w+-]*$/.test(firstLine)) {
      language = firstLine || undefined;
      i = newline + 1;
    }
  }
  let text = "";
  while (i < source.length && !source.startsWith(fence, i)) {
    if (v2 && source[i] === "\\" && i + 1 < source.length) i += 1;
    text += source[i];
    i += 1;
  }
  if (i >= source.length) throw new EntityParseError(`Can't find end of ${pre ? "Pre" : "Code"} entity at byte offset ${byteOffset(source, at)}`);
  return { text, next: i + fence.length, pre, language };
}

/** Legacy Markdown: *bold* _italic_ `code` ```pre``` [text](url); no reserved characters. */
function parseLegacyMarkdown(source: string): Formatted {
  let text = "";
  const entities: MessageEntity[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "\\" && "_*`[".includes(source[i + 1] ?? "")) {
      text += source[i + 1];
      i += 2;
    } else if (ch === "`") {
      const code = readMarkdownCode(source, i, false);
      entities.push({ type: code.pre ? "pre" : "code", offset: text.length, length: code.text.length } as MessageEntity);
      text += code.text;
      i = code.next;
    } else if (ch === "*" || ch === "_") {
      const end = source.indexOf(ch, i + 1);
      if (end === -1) throw new EntityParseError(`Can't find end of the entity starting at byte offset ${byteOffset(source, i)}`);
      const inner = source.slice(i + 1, end);
      entities.push({ type: ch === "*" ? "bold" : "italic", offset: text.length, length: inner.length } as MessageEntity);
      text += inner;
      i = end + 1;
    } else {
      text += ch;
      i += 1;
    }
  }
  return { text, entities: sortEntities(entities.filter((e) => e.length > 0)) };
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

function byteOffset(source: string, index: number): number {
  return Buffer.byteLength(source.slice(0, index), "utf8");
}

/** Parses and validates reply_markup the way Telegram reports problems with it. */
function readReplyMarkup(raw: unknown): JsonObject | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const markup = typeof raw === "string" ? parseJsonObject(raw) : (raw as JsonObject);
  if (!markup || typeof markup !== "object") throw badRequest("can't parse reply keyboard markup JSON object");
  if (!("inline_keyboard" in markup)) return markup;
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) throw badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays");
  for (const button of rows.flat() as JsonObject[]) checkInlineButton(button);
  return markup;
}

const BUTTON_ACTIONS = ["callback_data", "url", "web_app", "login_url", "switch_inline_query", "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay"];

function checkInlineButton(button: JsonObject): void {
  if (!button || typeof button.text !== "string") throw badRequest("can't parse inline keyboard button: Text must be present in InlineKeyboardButton");
  if (!BUTTON_ACTIONS.some((action) => action in button)) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  if ("callback_data" in button) {
    const bytes = Buffer.byteLength(String(button.callback_data ?? ""), "utf8");
    if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) throw badRequest("BUTTON_DATA_INVALID");
  }
}

/** Telegram echoes only inline keyboards in the Message, and omits empty ones. */
function markupField(markup: JsonObject | undefined): JsonObject {
  const rows = markup?.inline_keyboard;
  return Array.isArray(rows) && rows.some((row) => Array.isArray(row) && row.length > 0) ? { reply_markup: { inline_keyboard: rows } } : {};
}

function entitiesField(name: "entities" | "caption_entities", entities: MessageEntity[]): JsonObject {
  return entities.length > 0 ? { [name]: entities } : {};
}

function sameContent(a: Message, b: Message): boolean {
  const view = (m: Message): string => JSON.stringify([m.text, m.entities ?? [], m.caption, m.reply_markup ?? null]);
  return view(a) === view(b);
}

function keyboardHasData(message: Message, data: string): boolean {
  return (message.reply_markup?.inline_keyboard ?? []).some((row) => row.some((b) => "callback_data" in b && b.callback_data === data));
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function writeJson(res: ServerResponse, envelope: Envelope): void {
  if (res.destroyed || res.headersSent) return; // the client left (e.g. grammY aborted a poll)
  const payload = JSON.stringify(envelope.body);
  res.writeHead(envelope.status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
  res.end(payload);
}

function errorEnvelope(error: ApiError): Envelope {
  const parameters = error.parameters ? { parameters: error.parameters } : {};
  return { status: error.code, body: { ok: false, error_code: error.code, description: error.description, ...parameters } };
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(500, `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`);
}

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden: bot was blocked by the user", 404: "Not Found",
  409: "Conflict", 413: "Request Entity Too Large", 500: "Internal Server Error", 502: "Bad Gateway",
};

function faultError(rule: FaultSpec): ApiError {
  if (rule.error_code === 429) {
    const retryAfter = rule.retry_after ?? 1;
    return new ApiError(429, rule.description ?? `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
  }
  return new ApiError(rule.error_code, rule.description ?? DEFAULT_DESCRIPTIONS[rule.error_code] ?? "Error");
}

function faultMatches(rule: { method: string; chatId?: ChatId }, method: string, params: Params): boolean {
  if (rule.method !== "*" && rule.method.toLowerCase() !== method.toLowerCase()) return false;
  return rule.chatId === undefined || String(rule.chatId) === String(params.chat_id);
}

function matchesSent(record: SentRecord, filter: { chatId?: ChatId; method?: string }): boolean {
  if (filter.chatId !== undefined && String(filter.chatId) !== String(record.chatId)) return false;
  return filter.method === undefined || filter.method.toLowerCase() === record.method.toLowerCase();
}

function normalizeChatId(raw: unknown): ChatId {
  if (typeof raw === "string" && /^-?\d+$/.test(raw)) return Number(raw);
  return raw as ChatId;
}

function integer(raw: unknown): number | undefined {
  const value = typeof raw === "string" && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  return typeof value === "number" && Number.isFinite(value) ? Math.trunc(value) : undefined;
}

function optionalString(raw: unknown): string | undefined {
  return raw === undefined || raw === null ? undefined : String(raw);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseJsonObject(text: string): JsonObject | undefined {
  const value = parseJson(text);
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

function updateKind(update: Update): string {
  return Object.keys(update).find((key) => key !== "update_id") ?? "";
}

function isMessageKind(kind: string): boolean {
  return kind === "message" || kind === "edited_message" || kind === "channel_post" || kind === "edited_channel_post";
}

function commandsKey(params: Params): string {
  const scope = params.scope as JsonObject | undefined;
  return `${String(scope?.type ?? "default")}|${String(params.language_code ?? "")}`;
}

function tgFrom(user: TgUser): JsonObject {
  return { id: user.id, is_bot: false, first_name: user.first_name, ...pick(user, "last_name", "username", "language_code") };
}

function privateChat(user: TgUser): JsonObject & { id: number; type: string } {
  return { id: user.id, type: "private", first_name: user.first_name, ...pick(user, "last_name", "username") };
}

function groupChat(id: number): JsonObject & { id: number; type: string } {
  return { id, type: id <= -1_000_000_000_000 ? "supergroup" : "group", title: `Group ${id}` };
}

function chatInstance(chatId: number): string {
  return (BigInt(chatId) * 7919n - 8_745_523_049_223_947_563n).toString();
}

/** `/start@bot payload` → one bot_command entity covering `/start@bot`. */
function commandEntities(text: string): JsonObject {
  const command = /^\/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?/.exec(text)?.[0];
  return command ? { entities: [{ type: "bot_command", offset: 0, length: command.length }] } : {};
}

function documentOf(file: StoredFile): JsonObject {
  const name = file.file_name === undefined ? {} : { file_name: file.file_name };
  return { file_id: file.file_id, file_unique_id: file.file_unique_id, ...name, mime_type: file.mime_type, file_size: file.file_size };
}

/** Dimensions are placeholders: the fake does not decode images. */
function photoSizeOf(file: StoredFile): JsonObject {
  return { file_id: file.file_id, file_unique_id: file.file_unique_id, width: 800, height: 600, file_size: file.file_size };
}

function pick<T extends object, K extends keyof T>(source: T, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

function omit<T extends object>(source: T, ...keys: string[]): Partial<T> {
  const out = { ...source } as Record<string, unknown>;
  for (const key of keys) delete out[key];
  return out as Partial<T>;
}
