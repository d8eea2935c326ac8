/**
 * One channel-neutral way to talk to the real app as people on a messenger, so an end-to-end
 * story reads once and runs on Telegram, the Zalo Bot and the Zalo OA (test/e2e/channels.e2e.test.ts).
 *
 * Each driver starts the real app (webhook mode: real HTTP into the real app; real BullMQ
 * outbox; real MongoDB-compatible server and Redis) against that platform's fake, which speaks
 * the platform's real HTTP API. The driver only translates:
 * - `send`: a private text (Telegram update / Zalo Bot update / signed OA `user_send_text`);
 * - `press`: a button where the channel has them (Telegram callback query, OA `#payload`
 *   button), the numbered reply where it does not (Zalo Bot, OA lists longer than its buttons);
 * - what the bot sent, normalised to `{ to, text, choices }` (a Telegram keyboard, OA buttons or
 *   the numbered lines of a Zalo text are all `choices`).
 * `send` and `press` resolve once the app has finished that turn (its inbound record is done).
 */
import type { App } from "../../src/app/container.js";
import { FakeClock } from "./fakes.js";
import { startTestApp } from "./app-harness.js";
import { startZaloApp } from "./zalo-harness.js";
import { startOaApp } from "./oa-harness.js";
import { eventually } from "./eventually.js";
import type { TgUser } from "./fake-telegram.js";

export type ChannelKind = "telegram" | "zalo-bot" | "zalo-oa";

/** Someone on the channel: `id` is their user id there (digits; OA and Zalo ids exceed 2^53). */
export interface ChatUser { id: string; name: string }

/** A message the bot sent, as the person sees it. */
export interface BotMessage {
  /** Position in the channel's log of sent messages (see {@link ChannelDriver.mark}). */
  index: number;
  to: string;
  text: string;
  /** Buttons (label → what pressing sends); for a numbered list, the item's number. */
  choices: { label: string; value: string }[];
}

export interface ChannelDriver {
  readonly kind: ChannelKind;
  readonly app: App;
  /** The words a person types to link with an invitation code on this channel (the letter tells them). */
  linkText(code: string): string;
  /** A person on this channel; `n` makes the id (distinct n → distinct people). */
  user(name: string, n: number): ChatUser;
  /** Sends a text as `user`, waits for the turn, returns the texts sent to `user` meanwhile (joined by newlines). */
  send(user: ChatUser, text: string): Promise<string>;
  /** Presses the choice labelled `label` in the latest message to `user` offering it; returns the replies. */
  press(user: ChatUser, label: RegExp): Promise<string>;
  /** Waits for a message to `user` whose text matches `pattern`, sent at or after `since` (a {@link mark}). */
  nextMessage(user: ChatUser, pattern: RegExp, since?: number): Promise<BotMessage>;
  /** Every message sent to `user`, oldest first. */
  messagesOf(user: ChatUser): BotMessage[];
  /** The current end of the log of sent messages: pass it as `since`. */
  mark(): number;
  stop(): Promise<void>;
}

/** 10:00 on Monday 05/10/2026 in Hà Nội (outside quiet hours): the OA fake's clock, and the app's on every channel. */
export const STORY_START = new Date("2026-10-05T03:00:00Z");

interface Platform {
  app: App;
  log(): BotMessage[];
  text(user: ChatUser, text: string): Promise<void>;
  choose(user: ChatUser, value: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The choices a Zalo text offers without buttons: its numbered lines "N. label" (answered with
 * the number) and the navigation words of its "Gõ «quay lại», «hủy»." line (answered with the
 * word; labelled as the Telegram button is, "Quay lại").
 */
function numbered(text: string): { label: string; value: string }[] {
  return text.split("\n").flatMap((l) => {
    const m = /^(\d+)\. (.+)$/.exec(l);
    if (m) return [{ label: m[2]!, value: m[1]! }];
    if (!/^(Hoặc )?gõ «/i.test(l)) return [];
    return [...l.matchAll(/«([^»]+)»/g)].map(([, word]) => ({ label: word!.charAt(0).toUpperCase() + word!.slice(1), value: word! }));
  });
}

async function telegram(label: string): Promise<Platform> {
  const t = await startTestApp(label, { webhook: true, clock: new FakeClock(STORY_START) });
  const tg = (u: ChatUser): TgUser => ({ id: Number(u.id), first_name: u.name, language_code: "vi" });
  return {
    app: t.app,
    log: () => t.telegram.sent().flatMap((r) => {
      const text = r.params.text ?? r.params.caption;
      // Keyboard-only edits (a pressed keyboard becoming "✓ …") and deletions are not messages to read.
      if (typeof text !== "string" || r.method === "deleteMessage") return [];
      const markup = r.params.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined;
      const choices = (markup?.inline_keyboard ?? []).flat().flatMap((b) => (b.callback_data ? [{ label: b.text, value: b.callback_data }] : []));
      return [{ index: r.index, to: String(r.chatId), text, choices }];
    }),
    text: async (u, text) => { await t.say(tg(u), text); },
    choose: async (u, value) => { await t.press(tg(u), value); },
    stop: () => t.stop(),
  };
}

async function zaloBot(label: string): Promise<Platform> {
  const t = await startZaloApp(label, { webhook: true, fake: { numericIds: true }, clock: new FakeClock(STORY_START) });
  const zu = (u: ChatUser) => ({ id: u.id, display_name: u.name });
  return {
    app: t.app,
    log: () => t.zalo.sent().map((s) => {
      const text = String(s.params.text ?? s.params.caption ?? "");
      return { index: s.index, to: s.chatId, text, choices: numbered(text) };
    }),
    text: async (u, text) => { await t.say(zu(u), text); },
    choose: async (u, value) => { await t.say(zu(u), value); },
    stop: () => t.stop(),
  };
}

async function zaloOa(label: string): Promise<Platform> {
  const t = await startOaApp(label);
  if (t.fake.now !== STORY_START.getTime()) throw new Error("the OA fake's clock no longer starts at STORY_START");
  const followed = new Set<string>();
  // A person reaches an OA by following it first (an interaction; it opens the free window).
  const arrive = async (u: ChatUser) => {
    if (followed.has(u.id)) return;
    followed.add(u.id);
    await t.deliver(t.fake.userEvent(u.id, "follow"));
  };
  return {
    app: t.app,
    log: () => t.fake.sent.flatMap((s, index) => {
      if (s.endpoint !== "message/cs") return [];
      const text = String(s.message?.text ?? "");
      const buttons = (s.message?.attachment as { payload?: { buttons?: { title: string; payload: string }[] } } | undefined)?.payload?.buttons ?? [];
      return [{ index, to: s.to, text, choices: [...buttons.map((b) => ({ label: b.title, value: b.payload })), ...numbered(text)] }];
    }),
    text: async (u, text) => { await arrive(u); await t.say(u.id, text); },
    choose: async (u, value) => { await arrive(u); await t.say(u.id, value); },
    stop: () => t.stop(),
  };
}

/** Starts the real app on `kind` and returns its driver. `label` names the test database and queues. */
export async function startChannel(kind: ChannelKind, label: string): Promise<ChannelDriver> {
  const p = kind === "telegram" ? await telegram(label) : kind === "zalo-bot" ? await zaloBot(label) : await zaloOa(label);
  const messagesOf = (u: ChatUser) => p.log().filter((m) => m.to === u.id);
  const repliesSince = (u: ChatUser, since: number) => messagesOf(u).filter((m) => m.index >= since).map((m) => m.text).join("\n");
  const mark = () => (p.log().at(-1)?.index ?? -1) + 1;
  return {
    kind,
    app: p.app,
    linkText: (code) => (kind === "telegram" ? `/start ${code}` : kind === "zalo-bot" ? `/lienket ${code}` : `LK ${code}`),
    user: (name, n) => ({ name, id: kind === "telegram" ? String(7_400_000_000 + n) : `84${String(n).padStart(17, "0")}` }),
    async send(u, text) {
      const since = mark();
      await p.text(u, text);
      return repliesSince(u, since);
    },
    async press(u, label) {
      const mine = messagesOf(u);
      for (let i = mine.length - 1; i >= 0; i--) {
        const choice = mine[i]!.choices.find((c) => label.test(c.label));
        if (!choice) continue;
        const since = mark();
        await p.choose(u, choice.value);
        return repliesSince(u, since);
      }
      throw new Error(`no choice matching ${label} in the messages to ${u.name}: ${JSON.stringify(mine.slice(-3).map((m) => m.text))}`);
    },
    nextMessage: (u, pattern, since = 0) =>
      eventually(() => messagesOf(u).find((m) => m.index >= since && pattern.test(m.text)) ?? false, {
        timeoutMs: 20_000, message: `no message matching ${pattern} to ${u.name} on ${kind}; last: ${JSON.stringify(messagesOf(u).slice(-2).map((m) => m.text))}`,
      }).then((m) => m as BotMessage),
    messagesOf,
    mark,
    stop: () => p.stop(),
  };
}
