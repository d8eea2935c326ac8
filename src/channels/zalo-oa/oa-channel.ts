/**
 * The Zalo OA channel's I/O: a `Sender` for replies (consultation messages, free within 48 h of
 * the guardian's last message — a reply always is) and the webhook handler. Buttons are OA
 * buttons where they fit, numbered lists otherwise (the last list per chat is kept in the same
 * `KeyboardMemory` as the Zalo Bot's, so a typed "2" presses the second button).
 *
 * The webhook answers as soon as the event is recorded (Zalo wants 200 within 2 s) and handles
 * it afterwards; a crash in between leaves it pending for the receiver's recovery. Redeliveries
 * are deduped by the event id (the message id) in the inbox.
 */
import { addressKey, type Address, type InboundEvent, type Outbound } from "../../engine/messages.js";
import type { Receiver, Sender } from "../../engine/receiver.js";
import { resolveNumberedReply } from "../zalo/numbered-reply.js";
import type { KeyboardMemory } from "../../engine/ports.js";
import type { ZaloOaClient } from "./client.js";
import { toChannelError } from "./errors.js";
import { parseOaEvent, readOaActivity, type OaActivity } from "./parse-event.js";
import { oaButtonsRef, renderOa, type OaRenderOptions } from "./render-outbound.js";
import type { OaTokens } from "./tokens.js";
import { verifyOaWebhook, type OaWebhookSettings } from "./webhook.js";

/** The payload of the OA menu item that asks for the phone card ("#oa-phone" in OA Manager). */
export const OA_PHONE_MENU_PAYLOAD = "oa-phone";

export interface ZaloOaLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ZaloOaChannelOptions {
  oaId: string;
  client: Pick<ZaloOaClient, "sendConsultation">;
  tokens: Pick<OaTokens, "withAccessToken">;
  keyboards: KeyboardMemory;
  /** Folded command names that count as commands without a slash. */
  commandWords: Iterable<string>;
  render: OaRenderOptions;
  webhook: OaWebhookSettings;
  logger: ZaloOaLogger;
  /**
   * Records what an event says besides a message: the last interaction (the 48 h window),
   * follow / unfollow (reachable / unreachable), a shared phone. Runs before the 200: when it
   * throws, Zalo is answered 500 and redelivers.
   */
  onActivity?: (activity: OaActivity) => Promise<void>;
  /** After a turn was handled (e.g. a guardian just linked: ask once for a phone for templates). Errors are logged. */
  afterTurn?: (address: Address) => Promise<void>;
  /**
   * The OA menu item "share my phone" (a menu button that sends `#oa-phone`): shows the phone
   * card on request instead of making a turn. Errors are logged.
   */
  onPhoneMenu?: (address: Address) => Promise<void>;
  /** A numbered list older than this no longer turns numbers into presses (default 7 days). */
  keyboardMaxAgeMs?: number;
  now?: () => Date;
}

export class ZaloOaChannel {
  readonly account: string;
  /** Replies and any consultation send; window errors surface as `ChannelError`s. */
  readonly sender: Sender;
  private readonly commandWords: ReadonlySet<string>;
  private loggedFormula = false;

  constructor(private readonly o: ZaloOaChannelOptions) {
    this.account = o.oaId;
    this.commandWords = new Set(o.commandWords);
    this.sender = { send: (address, outbound) => this.send(address, outbound) };
  }

  private async send(address: Address, outbound: Outbound): Promise<void> {
    if (outbound.kind === "keyboard") return; // no edits on Zalo: the reply that comes with it tells the choice
    const { messages, keyboard, shown } = renderOa(outbound, this.o.render);
    const chatKey = addressKey(address);
    // A numbered list is remembered before it is sent: its number may be typed at once.
    if (shown === "numbered") await this.o.keyboards.remember(chatKey, keyboard);
    let last = "";
    for (const message of messages) {
      try {
        last = (await this.o.tokens.withAccessToken(this.o.oaId, (token) => this.o.client.sendConsultation(token, address.userId, message))).messageId;
      } catch (err) {
        throw toChannelError(err);
      }
    }
    // Real buttons: remembered with the message showing them (no numbers on screen, so
    // resolveNumberedReply leaves a typed number to the engine, as on Telegram). Sent already:
    // a failure is logged, never thrown (a throw would send it again).
    if (shown === "buttons") {
      await this.o.keyboards.remember(chatKey, keyboard, oaButtonsRef(last))
        .catch((err: unknown) => this.o.logger.warn({ err: (err as Error).message, oaId: this.o.oaId }, "zalo oa buttons not remembered"));
    }
  }

  /**
   * Handles one webhook request. Returns the HTTP status: 200 for the `{}` probe and for every
   * verified event (also ignored ones), 401 bad signature (nothing processed), 400 malformed,
   * 500 when the event could not be recorded (Zalo retries).
   */
  async handleWebhook(receiver: Pick<Receiver, "record" | "process">, signatureHeader: string | undefined, rawBody: string): Promise<number> {
    const verdict = verifyOaWebhook(rawBody, signatureHeader, this.o.webhook);
    if (verdict.kind !== "event") {
      if (verdict.status === 401) this.o.logger.warn({ oaId: this.o.oaId }, "zalo oa webhook: bad signature");
      return verdict.status;
    }
    if (!this.loggedFormula) {
      this.loggedFormula = true;
      this.o.logger.info({ oaId: this.o.oaId, formula: verdict.formula }, "zalo oa webhook signature formula matched");
    }
    try {
      const activity = readOaActivity(verdict.payload, this.o.oaId);
      if (activity && this.o.onActivity) await this.o.onActivity(activity);
      const parsed = parseOaEvent(verdict.payload, { commandWords: this.commandWords, oaId: this.o.oaId });
      if (!parsed) {
        this.o.logger.debug({ oaId: this.o.oaId, event: String(verdict.payload.event_name) }, "zalo oa event ignored");
        return 200;
      }
      if (parsed.kind === "button" && parsed.payload === OA_PHONE_MENU_PAYLOAD && this.o.onPhoneMenu) {
        await this.o.onPhoneMenu(parsed.address).catch((err: unknown) => this.o.logger.error({ err, oaId: this.o.oaId }, "zalo oa phone menu failed"));
        return 200;
      }
      const event = await this.resolveNumberedReply(parsed);
      if ((await receiver.record(event)) === "duplicate") return 200;
      void receiver.process(event).then(
        () => this.o.afterTurn?.(event.address).catch((err: unknown) => this.o.logger.error({ err, eventId: event.id }, "zalo oa after-turn step failed")),
        (err: unknown) => this.o.logger.error({ err, eventId: event.id }, "handling failed; left for recovery"),
      );
      return 200;
    } catch (err) {
      this.o.logger.error({ err, oaId: this.o.oaId }, "zalo oa webhook event could not be recorded");
      return 500;
    }
  }

  /** "2" after a message with a numbered list → a press of that list's second button. */
  async resolveNumberedReply(event: InboundEvent): Promise<InboundEvent> {
    return resolveNumberedReply(event, { keyboards: this.o.keyboards, now: this.o.now, maxAgeMs: this.o.keyboardMaxAgeMs });
  }

}
