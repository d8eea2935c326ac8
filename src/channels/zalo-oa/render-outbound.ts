/**
 * `Outbound` → OA consultation message bodies (`POST /v3.0/oa/message/cs`, the `message`
 * field). Pure. Texts are NFC-normalised and split at 2,000 characters. Buttons become
 * `oa.query.hide` buttons whose payload is "#<our payload>" (a tap comes back as that text,
 * see parse-event.ts) when the OA allows them (`buttons: "oa-query"`, a setting because the
 * v3 limits are unconfirmed) and they fit: at most 5, titles of at most `maxTitle` characters,
 * payloads of at most 1,000. Otherwise they degrade exactly as on the Zalo Bot: a numbered list
 * under the text, answered by typing the number. Either way the channel remembers the buttons
 * per chat (`keyboard`), so a number or a label typed later presses one (see numbered-reply.ts).
 * Photos with a public HTTPS URL are sent as a media template; other files become a line
 * naming them (an OA file send needs an upload token, valid only 7 days).
 */
import { pressableButtons, type Button, type MessageOutbound } from "../../engine/messages.js";
import { splitText } from "../../domain/text.js";
import { numberedButtons, numberedList } from "../zalo/render-outbound.js";

export const OA_TEXT_LIMIT = 2000;
export const OA_MAX_BUTTONS = 5;
export const OA_PAYLOAD_LIMIT = 1000;

export interface OaButton { title: string; type: "oa.query.hide"; payload: string }

/** The `message` field of one consultation send. */
export type OaMessage =
  | { text: string; attachment?: { type: "template"; payload: { buttons: OaButton[] } } }
  | { text?: string; attachment: { type: "template"; payload: { template_type: "media"; elements: { media_type: "image"; url: string }[] } } };

/** A `request_user_info` card (not a rendering of an `Outbound`). */
export type OaCardMessage = { attachment: { type: "template"; payload: { template_type: "request_user_info"; elements: { title: string; subtitle: string; image_url?: string }[] } } };

/**
 * The card asking a follower for their phone number (`request_user_info`, one element; the
 * answer comes back as the `user_submit_info` webhook). The subtitle states the purpose.
 */
export function phoneRequestCard(text: { title: string; subtitle: string; imageUrl?: string }): OaCardMessage {
  const element = { title: text.title.normalize("NFC"), subtitle: text.subtitle.normalize("NFC"), ...(text.imageUrl ? { image_url: text.imageUrl } : {}) };
  return { attachment: { type: "template", payload: { template_type: "request_user_info", elements: [element] } } };
}

export interface OaRenderOptions {
  /** "oa-query": real buttons where they fit; "numbered": always numbered lists. */
  buttons: "oa-query" | "numbered";
  /** Longest button title kept as a button (default 20; longer → numbered list). */
  maxTitle?: number;
}

export interface OaRendering {
  messages: OaMessage[];
  /**
   * Buttons a typed number or label refers to afterwards, in the order shown: the numbered
   * list's, or the real buttons' (navigation buttons left out, as on Telegram); none without buttons.
   */
  keyboard: Button[];
  /** How `keyboard` was shown: real OA buttons (no numbers on screen) or a numbered list. */
  shown?: "buttons" | "numbered";
}

/**
 * The `messageRef` real OA buttons are remembered with (`KeyboardMemory`): the consultation
 * message carrying them. Buttons remembered with a message were shown without numbers.
 */
export const oaButtonsRef = (messageId: string): string => `oa:${messageId || "sent"}`;

const chars = (s: string) => [...s].length;

function looksVietnamese(text: string): boolean {
  return /[^\x00-\x7F]/.test(text); // eslint-disable-line no-control-regex -- ASCII range on purpose
}

/** True when every button can be an `oa.query.hide` button. */
export function buttonsFit(buttons: readonly Button[], maxTitle = 20): boolean {
  return buttons.length > 0 && buttons.length <= OA_MAX_BUTTONS &&
    buttons.every((b) => chars(b.label.normalize("NFC")) <= maxTitle && chars(b.payload) + 1 <= OA_PAYLOAD_LIMIT && /^[A-Za-z0-9_:.-]{1,64}$/.test(b.payload));
}

function textParts(text: string, block: string | undefined): string[] {
  const parts = text.trim() ? splitText(text, OA_TEXT_LIMIT) : [];
  if (!block) return parts;
  const last = parts[parts.length - 1];
  if (last !== undefined && chars(last) + 2 + chars(block) <= OA_TEXT_LIMIT) parts[parts.length - 1] = `${last}\n\n${block}`;
  else parts.push(...splitText(block, OA_TEXT_LIMIT));
  return parts;
}

/** The consultation messages that show one outbound message. */
export function renderOa(o: MessageOutbound, options: OaRenderOptions): OaRendering {
  const flat = (o.buttons ?? []).flat();
  const main = (o.kind === "text" ? o.text : (o.caption ?? "")).normalize("NFC");
  const real = flat.length > 0 && options.buttons === "oa-query" && buttonsFit(flat, options.maxTitle ?? 20);
  const list = flat.length > 0 && !real
    ? numberedList(flat.map((b) => ({ ...b, label: b.label.normalize("NFC") })), looksVietnamese(main + flat.map((b) => b.label).join("")))
    : undefined;
  const keyboard = list ? numberedButtons(flat) : real ? pressableButtons(o.buttons) : [];
  const shown = list ? { shown: "numbered" as const } : real ? { shown: "buttons" as const } : {};
  const withButtons = (messages: OaMessage[]): OaMessage[] => {
    if (!real) return messages;
    const buttons = flat.map((b): OaButton => ({ title: b.label.normalize("NFC"), type: "oa.query.hide", payload: `#${b.payload}` }));
    const last = messages[messages.length - 1];
    const lastText = last && !("attachment" in last && last.attachment) ? last.text : undefined;
    // Buttons need a text of their own: the last text part carries them, else a short one.
    const text = lastText ?? (looksVietnamese(main) || main === "" ? "Chọn:" : "Choose:");
    const rest = lastText !== undefined ? messages.slice(0, -1) : messages;
    return [...rest, { text, attachment: { type: "template", payload: { buttons } } }];
  };

  if (o.kind === "text") return { messages: withButtons(textParts(main, list).map((text) => ({ text }))), keyboard, ...shown };
  if (o.media === "photo" && /^https:\/\//i.test(o.fileRef)) {
    const [caption, ...rest] = textParts(main, list);
    const photo: OaMessage = { ...(caption ? { text: caption } : {}), attachment: { type: "template", payload: { template_type: "media", elements: [{ media_type: "image", url: o.fileRef }] } } };
    return { messages: withButtons([photo, ...rest.map((text) => ({ text }))]), keyboard, ...shown };
  }
  const link = /^https?:\/\//i.test(o.fileRef) ? o.fileRef : undefined;
  const label = ["📎", o.fileName ?? (o.media === "photo" ? "(ảnh)" : "(tệp)"), link].filter(Boolean).join(" ");
  return { messages: withButtons(textParts(main ? `${main}\n\n${label}` : label, list).map((text) => ({ text }))), keyboard, ...shown };
}
