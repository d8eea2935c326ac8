/**
 * `Outbound` → Bot API calls. Pure. Texts past 4096 characters are split (buttons go on the
 * last part); captions past 1024 go into a follow-up message.
 */
import type { Button, MessageOutbound, Outbound } from "../../engine/messages.js";
import { splitText } from "../../domain/text.js";

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
export const CALLBACK_DATA_BYTES = 64;

export type TelegramCall =
  | { method: "sendMessage"; params: { text: string; reply_markup?: InlineKeyboard } }
  | { method: "sendPhoto" | "sendDocument"; params: { file: string; caption?: string; reply_markup?: InlineKeyboard } };

export interface InlineKeyboard {
  inline_keyboard: { text: string; callback_data: string }[][];
}

function keyboard(buttons: Button[][] | undefined): InlineKeyboard | undefined {
  if (!buttons || buttons.length === 0) return undefined;
  for (const row of buttons)
    for (const b of row)
      if (Buffer.byteLength(b.payload, "utf8") > CALLBACK_DATA_BYTES) throw new Error(`button payload over ${CALLBACK_DATA_BYTES} bytes: ${b.payload}`);
  return { inline_keyboard: buttons.map((row) => row.map((b) => ({ text: b.label, callback_data: b.payload }))) };
}

/** The calls that show one outbound message. */
export function renderTelegram(o: MessageOutbound): TelegramCall[] {
  const markup = keyboard(o.buttons);
  if (o.kind === "text") {
    const parts = splitText(o.text, TEXT_LIMIT);
    return parts.map((text, i) => ({ method: "sendMessage", params: { text, ...(i === parts.length - 1 && markup ? { reply_markup: markup } : {}) } }));
  }
  const method = o.media === "photo" ? "sendPhoto" : "sendDocument";
  const caption = o.caption ?? "";
  if ([...caption].length <= CAPTION_LIMIT)
    return [{ method, params: { file: o.fileRef, ...(caption ? { caption } : {}), ...(markup ? { reply_markup: markup } : {}) } }];
  return [{ method, params: { file: o.fileRef } }, ...renderTelegram({ kind: "text", text: caption, ...(o.buttons ? { buttons: o.buttons } : {}) })];
}

/** Editing one message in place: its new text and keyboard (none removes the old one), or its keyboard only. */
export type TelegramEdit =
  | { method: "editMessageText"; params: { message_id: number; text: string; reply_markup?: InlineKeyboard } }
  | { method: "editMessageReplyMarkup"; params: { message_id: number; reply_markup?: InlineKeyboard } };

const messageId = (ref: string | undefined) => (ref !== undefined && /^\d{1,15}$/.test(ref) ? Number(ref) : undefined);

/**
 * How to show an outbound that may replace an earlier message (`replaceKey`): edit the message
 * last shown under that key when there is one and the outbound is a single text (a file, or a
 * text split in parts, cannot be edited into one message); otherwise send, and remember the
 * last message sent (the one carrying the keyboard). `send` is also the fallback when the edit
 * is refused (message gone or too old).
 */
export function planTelegram(o: Outbound, previousMessageId?: string): { edit?: TelegramEdit; send: TelegramCall[]; remember: boolean } {
  if (o.kind === "keyboard") {
    const id = messageId(o.messageRef);
    const markup = keyboard(o.buttons);
    return { ...(id !== undefined ? { edit: { method: "editMessageReplyMarkup" as const, params: { message_id: id, ...(markup ? { reply_markup: markup } : {}) } } } : {}), send: [], remember: false };
  }
  const send = renderTelegram(o);
  const remember = !!o.replaceKey;
  // The message whose button was pressed wins over the one last shown under the key.
  const id = messageId(o.editRef) ?? (o.replaceKey && !o.replaceFresh ? messageId(previousMessageId) : undefined);
  const only = send.length === 1 ? send[0] : undefined;
  if (id === undefined || only?.method !== "sendMessage") return { send, remember };
  return { edit: { method: "editMessageText", params: { message_id: id, ...only.params } }, send, remember };
}

/** A 400 answer to an edit that means "already shows exactly this": nothing to do. */
export const isNotModified = (description: string) => /message is not modified/i.test(description);
