/**
 * Telegram over grammY. Receiving: our own long-polling loop (the offset advances only after
 * each update is durably recorded) or a webhook (secret checked, 400 on a malformed body,
 * 500 while the database is down so Telegram redelivers; 200 as soon as the update is
 * recorded, then the turn runs — a crash in between is the recovery job's). Sending: an interactive sender with
 * a short auto-retry, and a bulk sender that surfaces 429 to the outbox untouched.
 */
import { secretMatches } from "../webhook-secret.js";
import { setTimeout as delay } from "node:timers/promises";
import { Api, GrammyError, InputFile } from "grammy";
import { autoRetry } from "@grammyjs/auto-retry";
import type { Update } from "grammy/types";
import { addressKey, pressableButtons, type Address, type InboundEvent, type Outbound } from "../../engine/messages.js";
import type { KeyboardMemory } from "../../engine/ports.js";
import type { Receiver, Sender } from "../../engine/receiver.js";
import { parseTelegramUpdate, callbackQueryId } from "./parse-update.js";
import { isNotModified, planTelegram, type TelegramCall, type TelegramEdit } from "./render-outbound.js";
import { toChannelError } from "./to-channel-error.js";

export interface TelegramLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Where the message last shown under a `replaceKey` in a chat is remembered. */
export interface TelegramMessageRefs {
  get(chatKey: string, replaceKey: string): Promise<string | undefined>;
  set(chatKey: string, replaceKey: string, messageId: string): Promise<void>;
}

export interface TelegramOptions {
  token: string;
  apiRoot: string;
  logger: TelegramLogger;
  /** Without it, messages with a `replaceKey` are simply sent anew. */
  messageRefs?: TelegramMessageRefs;
  /**
   * Where the buttons of the last message that carried buttons to each chat are remembered
   * (with its message id), so the engine can read a typed "1" or "đồng ý" as pressing one.
   */
  keyboards?: KeyboardMemory;
  /** The outbox's (`bulk`) memory of buttons, when it differs (written in batches: src/store/keyboards.ts). */
  bulkKeyboards?: KeyboardMemory;
  /** A send with no answer after this long fails as a network error of unknown outcome (default 30). */
  sendTimeoutSeconds?: number;
}

/** A file larger than the caller accepts. */
export class FileTooLargeError extends Error {
  override name = "FileTooLargeError";
  constructor(readonly maxBytes: number) {
    super(`file larger than ${maxBytes} bytes`);
  }
}

/** The bot's numeric id, the `account` of its addresses (never the token). */
export function accountOfToken(token: string): string {
  return token.split(":")[0] ?? "bot";
}

/** Sends through a grammY `Api`. */
class TelegramSender implements Sender {
  constructor(private readonly api: Api, private readonly o: { refs?: TelegramMessageRefs; keyboards?: KeyboardMemory; logger: TelegramLogger }) {}

  async send(address: Address, outbound: Outbound): Promise<void> {
    const { refs } = this.o;
    const key = refs && outbound.kind !== "keyboard" ? outbound.replaceKey : undefined;
    const chatKey = addressKey(address);
    const previous = key && outbound.kind !== "keyboard" && !outbound.replaceFresh && !outbound.editRef ? await refs!.get(chatKey, key) : undefined;
    const plan = planTelegram(outbound, previous);
    if (plan.edit && (await this.edit(address.chatId, plan.edit))) return this.rememberKeyboard(chatKey, outbound, String(plan.edit.params.message_id), true);
    let last: number | undefined;
    for (const call of plan.send) last = await this.call(address.chatId, call);
    if (key && plan.remember && last !== undefined) await refs!.set(chatKey, key, String(last));
    if (last !== undefined) await this.rememberKeyboard(chatKey, outbound, String(last), false);
  }

  /**
   * Once shown, the buttons a typed number or label may mean: a message with buttons makes them
   * the chat's current ones (only navigation buttons: none); a message edited in place without
   * buttons no longer offers the ones it had. A message without buttons leaves them, and so does
   * a keyboard settled after a press: the engine settles only a step's keyboard, whose buttons
   * it never reads once that step is over. The message is already shown, so a failure is logged,
   * never thrown (a throw would have it sent again): that message's buttons then cannot be typed.
   */
  private async rememberKeyboard(chatKey: string, o: Outbound, shownId: string, edited: boolean): Promise<void> {
    const memory = this.o.keyboards;
    if (!memory || o.kind === "keyboard") return;
    try {
      if (o.buttons?.length) await memory.remember(chatKey, pressableButtons(o.buttons), shownId);
      else if (edited) await memory.replaceUnder?.(chatKey, shownId, []);
    } catch (err) {
      this.o.logger.warn({ err: (err as Error).message }, "telegram keyboard not remembered");
    }
  }

  /** Edits in place; false when Telegram refuses with a 400 (gone, too old): send anew then. */
  private async edit(chatId: string, edit: TelegramEdit): Promise<boolean> {
    try {
      if (edit.method === "editMessageReplyMarkup") {
        const { message_id, reply_markup } = edit.params;
        await this.api.editMessageReplyMarkup(chatId, message_id, reply_markup ? { reply_markup } : {});
      } else {
        const { message_id, text, reply_markup } = edit.params;
        await this.api.editMessageText(chatId, message_id, text, reply_markup ? { reply_markup } : {});
      }
      return true;
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 400) return isNotModified(err.description);
      throw toChannelError(err, edit.method);
    }
  }

  /** One call; the id of the message it sent. */
  private async call(chatId: string, call: TelegramCall): Promise<number> {
    try {
      if (call.method === "sendMessage") return (await this.api.sendMessage(chatId, call.params.text, call.params.reply_markup ? { reply_markup: call.params.reply_markup } : {})).message_id;
      const { file, ...rest } = call.params;
      const input = file.startsWith("file:") ? new InputFile(file.slice(5)) : file;
      if (call.method === "sendPhoto") return (await this.api.sendPhoto(chatId, input, rest)).message_id;
      return (await this.api.sendDocument(chatId, input, rest)).message_id;
    } catch (err) {
      throw toChannelError(err, call.method);
    }
  }
}

/** Turns handled at once by long polling, by default. */
const POLL_CONCURRENCY = 16;

/** Runs `fn` over `items`, at most `limit` at once. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => { while (next < items.length) await fn(items[next++]!); };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/**
 * Background turns of long polling: one chain per chat (a chat's turns run in arrival order,
 * on top of the receiver's chat lock, which does not queue fairly), at most `limit` running.
 */
export class ChatTurns {
  private readonly tails = new Map<string, Promise<void>>();
  private running = 0;
  private queued = 0;
  private readonly wakers: (() => void)[] = [];

  /** `backlog`: turns queued or running beyond which no new batch is fetched (bounds memory; a
   * large multiple of `limit`, so one chat's pile behind a slow turn does not stop the others). */
  constructor(readonly limit: number, private readonly backlog = limit * 8) {}

  /** Queues `turn` after the chat's previous one. `turn` must not reject. */
  add(chat: string, turn: () => Promise<void>): void {
    this.queued++;
    const next = (this.tails.get(chat) ?? Promise.resolve()).then(async () => {
      while (this.running >= this.limit) await this.sleep();
      this.running++;
      try {
        await turn();
      } finally {
        this.running--;
        this.queued--;
        this.wake();
      }
    });
    this.tails.set(chat, next);
    void next.then(() => { if (this.tails.get(chat) === next) this.tails.delete(chat); });
  }

  /** Resolves once fewer than `backlog` turns are queued or running. */
  async room(): Promise<void> {
    while (this.queued >= this.backlog) await this.sleep();
  }

  /** Resolves once every queued turn has finished. */
  async idle(): Promise<void> {
    while (this.queued > 0) await this.sleep();
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => this.wakers.push(resolve));
  }

  private wake(): void {
    for (const resolve of this.wakers.splice(0)) resolve();
  }
}

/** The Telegram channel: senders plus intake (polling or webhook). */
export class TelegramChannel {
  readonly account: string;
  /** For replies in a conversation: retries a 429 briefly so the person still gets an answer. */
  readonly interactive: Sender;
  /** For the outbox: no retries here; on 429 the outbox makes the chat, or the whole queue, wait. */
  readonly bulk: Sender;
  private readonly api: Api;
  private username?: string;
  private polling = false;
  private pollAbort = new AbortController();
  private pollDone?: Promise<void>;

  constructor(private readonly o: TelegramOptions) {
    this.account = accountOfToken(o.token);
    this.api = new Api(o.token, { apiRoot: o.apiRoot });
    const timeoutSeconds = o.sendTimeoutSeconds ?? 30;
    const interactiveApi = new Api(o.token, { apiRoot: o.apiRoot, timeoutSeconds });
    // Network errors are not retried here: grammY's auto-retry would repeat them without limit,
    // and a send whose answer was lost may have arrived. They go to the receiver, which leaves
    // the reply to recovery, flagged as a possible duplicate when its outcome is unknown.
    interactiveApi.config.use(autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 5, rethrowHttpErrors: true }));
    const memory = { refs: o.messageRefs, keyboards: o.keyboards, logger: o.logger };
    this.interactive = new TelegramSender(interactiveApi, memory);
    this.bulk = new TelegramSender(new Api(o.token, { apiRoot: o.apiRoot, timeoutSeconds }), { ...memory, keyboards: o.bulkKeyboards ?? o.keyboards });
  }

  /**
   * Downloads a file a person sent (getFile, then the file URL): at most `maxBytes`, else a
   * `FileTooLargeError` before any byte is read (Telegram tells the size; bots get files up to 20 MB).
   */
  async downloadFile(fileId: string, maxBytes: number): Promise<Buffer> {
    const file = await this.api.getFile(fileId);
    if (!file.file_path) throw new Error("Telegram getFile gave no file_path");
    if ((file.file_size ?? 0) > maxBytes) throw new FileTooLargeError(maxBytes);
    const res = await fetch(`${this.o.apiRoot}/file/bot${this.o.token}/${file.file_path}`);
    if (!res.ok) throw new Error(`Telegram file download failed (${res.status})`);
    const data = Buffer.from(await res.arrayBuffer());
    if (data.length > maxBytes) throw new FileTooLargeError(maxBytes);
    return data;
  }

  /** Checks the token (getMe) and learns the bot's username. Fails with a clear message. */
  async init(): Promise<{ username: string }> {
    try {
      const me = await this.api.getMe();
      this.username = me.username;
      return { username: me.username };
    } catch (err) {
      throw new Error(`Telegram getMe failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Long polling. A batch's updates are recorded chat by chat (chats in parallel), and the next
   * `getUpdates` confirms (offset) only the updates before the first one that could not be
   * recorded: while the database is down the rest of the batch comes again, and the ones
   * already recorded are then duplicates. Turns run in the background, at most `concurrency`
   * at once, one chat's turns in the order they arrived; a slow turn delays only its own chat.
   */
  async startPolling(receiver: Receiver, options: { timeoutSeconds?: number; concurrency?: number } = {}): Promise<void> {
    await this.api.deleteWebhook();
    this.polling = true;
    this.pollAbort = new AbortController();
    this.pollDone = this.pollLoop(receiver, options.timeoutSeconds ?? 25, new ChatTurns(options.concurrency ?? POLL_CONCURRENCY));
  }

  private async pollLoop(receiver: Receiver, timeout: number, turns: ChatTurns): Promise<void> {
    let offset = 0;
    let backoff = 250;
    while (this.polling) {
      try {
        await turns.room(); // backpressure: no new batch while the backlog of turns is full
        const updates = await this.api.getUpdates({ offset, timeout, allowed_updates: ["message", "callback_query", "my_chat_member"] }, this.pollAbort.signal as Parameters<Api["getUpdates"]>[1]);
        const intake = await this.intakeBatch(receiver, updates, turns);
        offset = intake.offset ?? offset;
        if (intake.error) throw intake.error;
        backoff = 250;
      } catch (err) {
        if (!this.polling) break;
        this.o.logger.warn({ err, backoffMs: backoff }, "telegram polling failed; retrying");
        await delay(backoff);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
    await turns.idle();
  }

  /** Records one batch (chats in parallel, each chat in order) and queues the new events' turns. */
  private async intakeBatch(receiver: Receiver, updates: Update[], turns: ChatTurns): Promise<{ offset?: number; error?: unknown }> {
    const byChat = new Map<string, { update: Update; event?: InboundEvent }[]>();
    for (const update of updates) {
      const event = parseTelegramUpdate(update, this.account, this.username);
      const key = event ? addressKey(event.address) : `update:${update.update_id}`;
      byChat.set(key, [...(byChat.get(key) ?? []), { update, event }]);
    }
    let failed: { updateId: number; error: unknown } | undefined;
    await eachLimited([...byChat], turns.limit, async ([key, items]) => {
      for (const { update, event } of items) {
        try {
          if (!(await this.recordUpdate(receiver, update, event))) continue;
        } catch (error) { // not recorded: neither it nor this chat's later updates are confirmed
          if (!failed || update.update_id < failed.updateId) failed = { updateId: update.update_id, error };
          return;
        }
        turns.add(key, () => receiver.process(event!).then(() => undefined, (err) => this.o.logger.error({ err, eventId: event!.id }, "handling failed; left for recovery")));
      }
    });
    if (failed) return { offset: failed.updateId, error: failed.error };
    const last = updates.at(-1);
    return last ? { offset: last.update_id + 1 } : {};
  }

  /** Records one parsed update and answers its button press; true when it is new (to be handled). */
  private async recordUpdate(receiver: Receiver, update: Update, event: InboundEvent | undefined): Promise<boolean> {
    const callbackId = callbackQueryId(update);
    if (!event) {
      if (callbackId) await this.api.answerCallbackQuery(callbackId).catch(() => undefined);
      return false;
    }
    const recorded = await receiver.record(event); // throws while the database is down: not confirmed
    if (callbackId) void this.api.answerCallbackQuery(callbackId).catch((err) => this.o.logger.warn({ err: (err as Error).message }, "answerCallbackQuery failed"));
    return recorded === "new";
  }

  /** Records and handles one raw update. Throws only when it could not be recorded. */
  async accept(receiver: Receiver, update: unknown): Promise<void> {
    const event = await this.intake(receiver, update);
    if (event) await receiver.process(event).catch((err) => this.o.logger.error({ err, eventId: event.id }, "handling failed; left for recovery"));
  }

  /** Parses and records one raw update; the event to handle when it is new. Throws only when it could not be recorded. */
  private async intake(receiver: Receiver, update: unknown): Promise<InboundEvent | undefined> {
    const event = parseTelegramUpdate(update, this.account, this.username);
    const callbackId = callbackQueryId(update);
    if (!event) {
      if (callbackId) await this.api.answerCallbackQuery(callbackId).catch(() => undefined);
      return undefined;
    }
    const recorded = await receiver.record(event); // throws while the database is down: not acknowledged
    if (callbackId) await this.api.answerCallbackQuery(callbackId).catch((err) => this.o.logger.warn({ err: (err as Error).message }, "answerCallbackQuery failed"));
    return recorded === "new" ? event : undefined;
  }

  /** Registers the webhook with Telegram. */
  async setWebhook(url: string, secret: string): Promise<void> {
    await this.api.setWebhook(url, { secret_token: secret, allowed_updates: ["message", "callback_query", "my_chat_member"] });
  }

  /** Publishes the command list shown in Telegram's menu button. */
  async setCommands(commands: { command: string; description: string }[]): Promise<void> {
    await this.api.setMyCommands(commands).catch((err) => this.o.logger.warn({ err: (err as Error).message }, "setMyCommands failed"));
  }

  /**
   * Handles a webhook request body. Returns the HTTP status to answer: 401 wrong secret, 400
   * malformed, 500 not recorded (Telegram will redeliver), 200 once it is recorded — the turn
   * then runs without holding Telegram's request (`Receiver.processLater`).
   */
  async handleWebhook(receiver: Receiver, secretHeader: string | undefined, body: string, secret: string): Promise<number> {
    if (!secretMatches(secretHeader, secret)) return 401;
    let update: unknown;
    try {
      update = JSON.parse(body);
    } catch {
      return 400;
    }
    if (typeof update !== "object" || update === null || !Number.isInteger((update as { update_id?: unknown }).update_id)) return 400;
    let event: InboundEvent | undefined;
    try {
      event = await this.intake(receiver, update);
    } catch (err) {
      this.o.logger.error({ err }, "webhook update could not be recorded");
      return 500;
    }
    if (event) receiver.processLater(event);
    return 200;
  }

  /** Stops polling after the current request. */
  async stop(): Promise<void> {
    this.polling = false;
    this.pollAbort.abort();
    await this.pollDone;
  }
}
