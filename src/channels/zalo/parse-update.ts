/**
 * Zalo Bot Platform update → `InboundEvent`. Pure and total: any payload gives an event or
 * `undefined`, never a throw. Ids stay strings (Zalo ids exceed 2^53; a number that is not a
 * safe integer is refused rather than turned into a wrong id — parse raw bodies with
 * `parseJsonExact`).
 *
 * Accepts the documented wrapped form `{ ok: true, result: { event_name, message } }` and the
 * flat form `{ event_name, message }` seen in production. On Zalo the slash of a command is
 * optional: "menu", "huy", "start K7M2Q9XD4RT8B" count as commands when the first word is one
 * of `commandWords` and the message has at most one more word (so a sentence that happens to
 * begin with "họp …" stays text).
 */
import type { InboundEvent } from "../../engine/messages.js";
import { foldText, withoutNul } from "../../domain/text.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** An id as a string: strings as they are (printable, no spaces), safe integers and bigints as digits, anything else refused. */
export function idString(v: unknown): string | undefined {
  // No whitespace or control characters (NUL cannot even be stored): such an id is forged.
  if (typeof v === "string") return v.length > 0 && v.length <= 128 && !/[\s\p{Cc}]/u.test(v) ? v : undefined;
  if (typeof v === "number") return Number.isSafeInteger(v) ? String(v) : undefined;
  if (typeof v === "bigint") return v.toString();
  return undefined;
}

/** The inner update of a wrapped (`{ok, result}`) or flat payload. */
export function unwrapUpdate(payload: unknown): Obj | undefined {
  if (!isObj(payload)) return undefined;
  if (isObj(payload.result) && payload.ok !== false) return payload.result;
  return payload;
}

const SLASH_COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@\S+)?(?:\s+([\s\S]*))?$/;

/** Parses one update for the bot `account`. `commandWords` are the folded command names (without slash). */
export function parseZaloUpdate(payload: unknown, account: string, commandWords: ReadonlySet<string>): InboundEvent | undefined {
  const update = unwrapUpdate(payload);
  if (!update || !isObj(update.message)) return undefined;
  const m = update.message;
  const eventName = typeof update.event_name === "string" ? update.event_name : undefined;
  if (!isObj(m.from) || !isObj(m.chat) || m.from.is_bot === true) return undefined;
  const userId = idString(m.from.id), chatId = idString(m.chat.id);
  const messageId = idString(m.message_id) ?? idString(update.update_id);
  if (!userId || !chatId || !messageId) return undefined;
  const dateMs = typeof m.date === "number" ? m.date : typeof m.date === "string" && /^\d{1,16}$/.test(m.date) ? Number(m.date) : 0;
  const name = typeof m.from.display_name === "string" && withoutNul(m.from.display_name).trim() ? withoutNul(m.from.display_name).trim() : undefined;
  const at = new Date(Number.isFinite(dateMs) ? dateMs : 0);
  const base = {
    id: `zalo-bot:${account}:${messageId}`,
    address: { channel: "zalo-bot" as const, account, userId, chatId },
    at: Number.isNaN(at.getTime()) ? new Date(0) : at,
    chatType: typeof m.chat.chat_type === "string" && m.chat.chat_type.toUpperCase() === "GROUP" ? ("group" as const) : ("private" as const),
    ...(name ? { displayName: name } : {}),
  };

  const isText = eventName === undefined || eventName === "message.text.received";
  if (isText && typeof m.text === "string") {
    const text = withoutNul(m.text); // the database cannot store NUL
    const command = parseCommand(text, commandWords);
    // Zalo delivers group messages to a bot only when it is mentioned: a command there is meant for us.
    if (command) return { ...base, kind: "command", command: command.command, args: command.args, addressedToBot: true };
    return { ...base, kind: "text", text };
  }
  const isImage = eventName === undefined || eventName === "message.image.received";
  const photo = typeof m.photo_url === "string" ? withoutNul(m.photo_url) : typeof m.photo === "string" ? withoutNul(m.photo) : undefined;
  if (isImage && photo && /^https?:\/\//i.test(photo))
    return { ...base, kind: "attachment", media: "photo", fileRef: photo, ...(typeof m.caption === "string" && withoutNul(m.caption) ? { caption: withoutNul(m.caption) } : {}) };
  // Stickers, voice notes and "unsupported" (privacy-protected) messages are not understood, like on Telegram.
  return undefined;
}

/** A command with or without its slash; `undefined` for ordinary text. */
export function parseCommand(text: string, commandWords: ReadonlySet<string>): { command: string; args: string } | undefined {
  const trimmed = text.trim();
  const slashed = SLASH_COMMAND.exec(trimmed);
  if (slashed) return { command: slashed[1]!, args: (slashed[2] ?? "").trim() };
  const words = trimmed.split(/\s+/);
  if (words.length === 0 || words.length > 2) return undefined;
  const word = foldText(words[0]!);
  if (!commandWords.has(word)) return undefined;
  return { command: word, args: words[1] ?? "" };
}
