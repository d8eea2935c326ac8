/**
 * Telegram update → `InboundEvent`. Pure and total: any payload gives an event or
 * `undefined`, never a throw. Ids become strings here.
 */
import type { InboundEvent } from "../../engine/messages.js";
import { withoutNul } from "../../domain/text.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
/** Telegram ids are integers: a safe integer or its digits; anything else (a forged string) is refused. */
const str = (v: unknown): string | undefined =>
  typeof v === "number" ? (Number.isSafeInteger(v) ? String(v) : undefined) : typeof v === "string" && /^-?\d{1,20}$/.test(v) ? v : undefined;
/** A string the event carries, NUL removed (the database cannot store it); `undefined` when not a string. */
const text = (v: unknown): string | undefined => (typeof v === "string" ? withoutNul(v) : undefined);

/** Parses one update for the bot `account` (its numeric id as a string) named `botUsername`. */
export function parseTelegramUpdate(update: unknown, account: string, botUsername?: string): InboundEvent | undefined {
  if (!isObj(update) || typeof update.update_id !== "number") return undefined;
  const id = telegramEventId(update as { update_id: number }, account);
  if (isObj(update.message)) return parseMessage(update.message, id, account, botUsername);
  if (isObj(update.callback_query)) return parseCallback(update.callback_query, id, account);
  if (isObj(update.my_chat_member)) return parseMemberChange(update.my_chat_member, id, account);
  return undefined;
}

/**
 * The event id of an update: `telegram:<account>:<update_id>:<tag>`. Telegram may start
 * `update_id` again from a random number after a week without updates, so the id alone could
 * match an old processed event (and the new update be dropped as a duplicate). The tag is what
 * Telegram sends again unchanged when it redelivers the same update, but differs between two
 * updates: the message's or membership change's date (`m<date>`, `c<date>`), or the callback
 * query's own unique id (`q<id>`).
 */
export function telegramEventId(update: { update_id: number }, account: string): string {
  const { message: m, callback_query: q, my_chat_member: c } = update as unknown as Obj;
  // Only digits and id characters: a forged field never puts a NUL or a space into the id.
  const clean = (v: unknown) => (str(v) ?? "").replace(/[^0-9A-Za-z_-]/g, "").slice(0, 64);
  const tag = isObj(m) ? `m${clean(m.date)}` : isObj(q) ? `q${clean(q.id)}` : isObj(c) ? `c${clean(c.date)}` : "";
  return `telegram:${account}:${update.update_id}${tag ? `:${tag}` : ""}`;
}

/** An out-of-range date (a forged `date`) becomes the epoch rather than an Invalid Date. */
const validDate = (d: Date): Date => (Number.isNaN(d.getTime()) ? new Date(0) : d);

function base(id: string, account: string, from: Obj, chat: Obj, date: unknown) {
  const userId = str(from.id), chatId = str(chat.id);
  if (!userId || !chatId) return undefined;
  const name = [text(from.first_name), text(from.last_name)].filter((p) => p !== undefined).join(" ");
  return {
    id,
    address: { channel: "telegram" as const, account, userId, chatId },
    at: validDate(new Date((typeof date === "number" ? date : 0) * 1000)),
    chatType: chat.type === "private" ? ("private" as const) : ("group" as const),
    ...(typeof from.language_code === "string" ? { localeHint: from.language_code } : {}),
    ...(name ? { displayName: name } : {}),
  };
}

function parseMessage(m: Obj, id: string, account: string, botUsername?: string): InboundEvent | undefined {
  if (!isObj(m.from) || !isObj(m.chat) || m.from.is_bot === true) return undefined;
  const b = base(id, account, m.from, m.chat, m.date);
  if (!b) return undefined;
  const body = text(m.text);
  if (body !== undefined) {
    const command = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/.exec(body.trim());
    if (command) {
      const mention = command[2];
      const addressedToBot = b.chatType === "private" || !mention || (!!botUsername && mention.toLowerCase() === botUsername.toLowerCase());
      return { ...b, kind: "command", command: command[1]!, args: (command[3] ?? "").trim(), addressedToBot };
    }
    return { ...b, kind: "text", text: body };
  }
  const caption = typeof m.caption === "string" ? { caption: withoutNul(m.caption) } : {};
  if (Array.isArray(m.photo) && m.photo.length > 0) {
    const largest = m.photo[m.photo.length - 1];
    if (isObj(largest) && typeof largest.file_id === "string")
      return { ...b, kind: "attachment", media: "photo", fileRef: withoutNul(largest.file_id), ...(typeof largest.file_size === "number" ? { sizeBytes: largest.file_size } : {}), ...caption };
  }
  if (isObj(m.document) && typeof m.document.file_id === "string") {
    const d = m.document;
    return { ...b, kind: "attachment", media: "document", fileRef: withoutNul(d.file_id as string),
      ...(typeof d.file_size === "number" ? { sizeBytes: d.file_size } : {}), ...(typeof d.file_name === "string" ? { fileName: withoutNul(d.file_name) } : {}), ...caption };
  }
  return undefined;
}

function parseCallback(q: Obj, id: string, account: string): InboundEvent | undefined {
  if (!isObj(q.from) || typeof q.data !== "string") return undefined;
  const chat = isObj(q.message) && isObj(q.message.chat) ? q.message.chat : { id: q.from.id, type: "private" };
  const b = base(id, account, q.from, chat, isObj(q.message) ? q.message.date : 0);
  const messageRef = isObj(q.message) ? str(q.message.message_id) : undefined;
  return b ? { ...b, at: new Date(), kind: "button", payload: withoutNul(q.data), ...(messageRef ? { messageRef } : {}) } : undefined;
}

function parseMemberChange(c: Obj, id: string, account: string): InboundEvent | undefined {
  if (!isObj(c.from) || !isObj(c.chat) || c.chat.type !== "private" || !isObj(c.new_chat_member)) return undefined;
  if (c.new_chat_member.status !== "kicked") return undefined;
  const b = base(id, account, c.from, c.chat, c.date);
  return b ? { ...b, kind: "blocked" } : undefined;
}

/** The callback query id of an update, to answer it (stops the button's spinner). */
export function callbackQueryId(update: unknown): string | undefined {
  return isObj(update) && isObj(update.callback_query) && typeof update.callback_query.id === "string" ? update.callback_query.id : undefined;
}
