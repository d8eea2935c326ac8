/**
 * The Zalo Bot Platform channel, spoken with `fetch` (no SDK exists). Receiving: our own
 * long-polling loop or a webhook (secret in `X-Bot-Api-Secret-Token`, compared in constant
 * time before anything is parsed; 400 malformed, 500 while the update cannot be recorded so
 * Zalo redelivers; 200 as soon as it is recorded, then the turn runs). Sending: an interactive sender with a short retry on 429 and a bulk sender
 * that surfaces 429 to the outbox untouched.
 *
 * Buttons degrade to numbered lists; the last list sent to each chat is kept in `keyboards`
 * (MongoDB, shared by every process), and a reply that is just a number in that list becomes
 * a `button` event with that button's payload before it is recorded.
 *
 * Polling on Zalo has no offset: `getUpdates` hands out one update and forgets it. The loop
 * asks for the next update only after the current one was recorded (retrying the record with
 * backoff while the database is down), which is as close to Telegram's "confirm after record"
 * as the API allows; a crash between receiving and recording loses that one update.
 */
import { secretMatches } from "../webhook-secret.js";
import { setTimeout as sleep } from "node:timers/promises";
import { addressKey, type Address, type InboundEvent, type Outbound } from "../../engine/messages.js";
import type { Receiver, Sender } from "../../engine/receiver.js";
import { ChannelError } from "../../engine/errors.js";
import { ZaloBotClient } from "./bot-client.js";
import { resolveNumberedReply } from "./numbered-reply.js";
import type { KeyboardMemory } from "../../engine/ports.js";
import { parseJsonExact } from "./json.js";
import { parseZaloUpdate, unwrapUpdate, idString } from "./parse-update.js";
import { renderZalo, type ZaloCall } from "./render-outbound.js";
import { toChannelError, ZaloApiError } from "./to-channel-error.js";

export interface ZaloLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ZaloOptions {
  token: string;
  apiRoot: string;
  logger: ZaloLogger;
  keyboards: KeyboardMemory;
  /** Folded command names that count as commands without a slash (flows' commands plus huy/cancel). */
  commandWords: Iterable<string>;
  /** A list older than this no longer turns numbers into button presses (default 7 days). */
  keyboardMaxAgeMs?: number;
  now?: () => Date;
}

/** Secret tokens Zalo accepts for `setWebhook`: 8–256 characters. */
export const WEBHOOK_SECRET_PATTERN = /^[A-Za-z0-9_-]{8,256}$/;

/** The bot's id (the token's prefix), the `account` of its addresses — never the token. */
export function accountOfZaloToken(token: string): string {
  return token.split(":")[0] || "zalo-bot";
}

class ZaloSender implements Sender {
  constructor(
    private readonly client: ZaloBotClient,
    private readonly keyboards: KeyboardMemory,
    private readonly retry429: { attempts: number; maxDelayMs: number },
  ) {}

  async send(address: Address, outbound: Outbound): Promise<void> {
    if (outbound.kind === "keyboard") return; // no edits on Zalo: the reply that comes with it tells the choice
    const { calls, keyboard } = renderZalo(outbound);
    // Remembered before the list can be seen, so even an instant "2" finds it; a message
    // without buttons forgets the previous list (a number then refers to nothing).
    await this.keyboards.remember(addressKey(address), keyboard);
    for (const call of calls) await this.call(address.chatId, call);
  }

  private async call(chatId: string, call: ZaloCall): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.call(call.method, { chat_id: chatId, ...call.params });
        return;
      } catch (err) {
        const mapped = toChannelError(err, call.method);
        const wait = mapped instanceof ChannelError && mapped.code === "rate-limited" ? (mapped.retryAfterMs ?? 1000) : undefined;
        if (wait !== undefined && attempt < this.retry429.attempts && wait <= this.retry429.maxDelayMs) {
          await sleep(wait);
          continue;
        }
        throw mapped;
      }
    }
  }
}

/** The Zalo Bot channel: senders plus intake (polling or webhook). */
export class ZaloBotChannel {
  readonly account: string;
  /** For replies in a conversation: waits out a short 429 so the person still gets an answer. */
  readonly interactive: Sender;
  /** For the outbox: no retries here; on 429 the outbox makes the chat, or the whole queue, wait. */
  readonly bulk: Sender;
  private readonly client: ZaloBotClient;
  private readonly commandWords: ReadonlySet<string>;
  private polling = false;
  private pollAbort = new AbortController();
  private pollDone?: Promise<void>;

  constructor(private readonly o: ZaloOptions) {
    this.account = accountOfZaloToken(o.token);
    this.client = new ZaloBotClient({ token: o.token, apiRoot: o.apiRoot });
    this.commandWords = new Set(o.commandWords);
    this.interactive = new ZaloSender(this.client, o.keyboards, { attempts: 2, maxDelayMs: 5_000 });
    this.bulk = new ZaloSender(this.client, o.keyboards, { attempts: 0, maxDelayMs: 0 });
  }

  /** Checks the token (getMe). Fails with a clear message that never contains the token. */
  async init(): Promise<{ id?: string; name?: string }> {
    try {
      const me = (await this.client.call("getMe")) as { id?: unknown; account_name?: unknown } | undefined;
      const id = idString(me?.id);
      if (id && id !== this.account) this.o.logger.warn({ account: this.account, botId: id }, "zalo getMe id differs from the token prefix; addresses use the token prefix");
      return { ...(id ? { id } : {}), ...(typeof me?.account_name === "string" ? { name: me.account_name } : {}) };
    } catch (err) {
      throw new Error(`Zalo Bot getMe failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Long polling (after removing any webhook: Zalo serves one or the other). */
  async startPolling(receiver: Receiver, options: { timeoutSeconds?: number } = {}): Promise<void> {
    await this.client.call("deleteWebhook");
    this.polling = true;
    this.pollAbort = new AbortController();
    this.pollDone = this.pollLoop(receiver, options.timeoutSeconds ?? 25);
  }

  private async pollLoop(receiver: Receiver, timeout: number): Promise<void> {
    let backoff = 250;
    const pause = async () => {
      await sleep(backoff, undefined, { signal: this.pollAbort.signal }).catch(() => undefined);
      backoff = Math.min(backoff * 2, 30_000);
    };
    while (this.polling) {
      let result: unknown;
      try {
        result = await this.client.call("getUpdates", { timeout: String(timeout) }, { signal: this.pollAbort.signal, timeoutMs: (timeout + 5) * 1000 });
        backoff = 250;
      } catch (err) {
        if (!this.polling) break;
        if (err instanceof ZaloApiError && err.errorCode === 408) { backoff = 250; continue; } // idle poll
        this.o.logger.warn({ err, backoffMs: backoff }, "zalo polling failed; retrying");
        await pause();
        continue;
      }
      // One update per call (accept a list too). The next poll waits until this one is recorded.
      for (const update of Array.isArray(result) ? result : [result]) {
        while (this.polling) {
          try {
            await this.accept(receiver, update);
            backoff = 250;
            break;
          } catch (err) {
            this.o.logger.warn({ err, backoffMs: backoff }, "zalo update could not be recorded; retrying");
            await pause();
          }
        }
      }
    }
  }

  /** Parses, resolves a numbered reply, records and handles one update. Throws only when it could not be recorded. */
  async accept(receiver: Receiver, update: unknown): Promise<void> {
    const event = await this.intake(receiver, update);
    if (event) await receiver.process(event).catch((err) => this.o.logger.error({ err, eventId: event.id }, "handling failed; left for recovery"));
  }

  /** Parses, resolves a numbered reply and records one update; the event to handle when it is new. Throws only when it could not be recorded. */
  private async intake(receiver: Receiver, update: unknown): Promise<InboundEvent | undefined> {
    const parsed = parseZaloUpdate(update, this.account, this.commandWords);
    if (!parsed) return undefined;
    const event = await this.resolveNumberedReply(parsed); // reads MongoDB: fails like record while it is down
    const recorded = await receiver.record(event); // throws while the database is down: not acknowledged
    return recorded === "new" ? event : undefined;
  }

  /** "2" after a message with a numbered list → a press of that list's second button. */
  async resolveNumberedReply(event: InboundEvent): Promise<InboundEvent> {
    return resolveNumberedReply(event, { keyboards: this.o.keyboards, now: this.o.now, maxAgeMs: this.o.keyboardMaxAgeMs, privateOnly: true });
  }


  /** Registers the webhook with Zalo (URL and secret both required by the API). */
  async setWebhook(url: string, secret: string): Promise<void> {
    await this.client.call("setWebhook", { url, secret_token: secret });
  }

  /**
   * Handles a webhook request body. Returns the HTTP status to answer: 401 wrong secret (checked
   * first), 400 malformed, 500 not recorded (Zalo will retry), 200 once it is recorded — the
   * turn then runs without holding Zalo's request (`Receiver.processLater`).
   */
  async handleWebhook(receiver: Receiver, secretHeader: string | undefined, body: string, secret: string): Promise<number> {
    if (!secretMatches(secretHeader, secret)) return 401;
    let payload: unknown;
    try {
      payload = parseJsonExact(body);
    } catch {
      return 400;
    }
    const update = unwrapUpdate(payload);
    if (!update || (typeof update.event_name !== "string" && typeof update.message !== "object") || update.message === null) return 400;
    let event: InboundEvent | undefined;
    try {
      event = await this.intake(receiver, payload);
    } catch (err) {
      this.o.logger.error({ err }, "zalo webhook update could not be recorded");
      return 500;
    }
    if (event) receiver.processLater(event);
    return 200;
  }

  /** Stops polling (the pending long poll is aborted). */
  async stop(): Promise<void> {
    this.polling = false;
    this.pollAbort.abort();
    await this.pollDone;
  }
}
