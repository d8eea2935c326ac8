/**
 * `Outbound` → Zalo Bot API calls. Pure. The Bot Platform has no buttons, so buttons degrade
 * to a numbered list under the text ("1. Tham dự\n2. Không tham dự" and a short hint); the
 * channel remembers that list per chat so a reply "2" becomes the second button's payload.
 * Texts are NFC-normalised and split at 2,000 characters (the list stays whole, on the last
 * part). There are no file sends: a photo with a public URL goes through `sendPhoto`, any
 * other file becomes a text with its caption and name.
 */
import { isNavPayload, type Button, type MessageOutbound } from "../../engine/messages.js";
import { splitText } from "../../domain/text.js";

export const TEXT_LIMIT = 2000;

export type ZaloCall =
  | { method: "sendMessage"; params: { text: string } }
  | { method: "sendPhoto"; params: { photo: string; caption?: string } };

/** What to call, and the buttons (in list order) a numbered reply refers to afterwards. */
export interface ZaloRendering {
  calls: ZaloCall[];
  /** Flattened buttons, numbered from 1 in the text; empty when the message has none. */
  keyboard: Button[];
}

const chars = (s: string) => [...s].length;

/**
 * The buttons a typed number refers to: all but the navigation ones (back, skip, cancel), which
 * are shown as words to type — so a number typed as an answer ("2", an absent pupil) never
 * becomes "cancel".
 */
export const numberedButtons = (buttons: Button[]): Button[] => buttons.filter((b) => !isNavPayload(b.payload));

/** "1. Tham dự\n2. Không tham dự\n\nTrả lời bằng số (1–2)." — the hint follows the text's language; navigation buttons become "Hoặc gõ «hủy»." */
export function numberedList(buttons: Button[], vietnamese: boolean): string {
  const numbered = numberedButtons(buttons);
  const words = buttons.filter((b) => isNavPayload(b.payload)).map((b) => `«${b.label.replace(/^[^\p{L}]+/u, "").toLowerCase()}»`).join(", ");
  const blocks: string[] = [];
  if (numbered.length > 0) {
    const range = numbered.length === 1 ? "1" : `1–${numbered.length}`;
    blocks.push(numbered.map((b, i) => `${i + 1}. ${b.label}`).join("\n"), vietnamese ? `Trả lời bằng số (${range}).` : `Reply with a number (${range}).`);
  }
  if (words) blocks.push(vietnamese ? `${numbered.length ? "Hoặc gõ" : "Gõ"} ${words}.` : `${numbered.length ? "Or type" : "Type"} ${words}.`);
  return blocks.join("\n\n");
}

/** Bot texts in Vietnamese always carry diacritics; a pure-ASCII text is the English locale. */
function looksVietnamese(text: string): boolean {
  return /[^\x00-\x7F]/.test(text); // eslint-disable-line no-control-regex -- ASCII range on purpose
}

/** Texts of at most `limit` characters: `text` split, with `block` appended whole to the last part (or after it). */
function withBlock(text: string, block: string | undefined, limit: number): string[] {
  const parts = text.trim() ? splitText(text, limit) : [];
  if (!block) return parts.length > 0 ? parts : [];
  const last = parts[parts.length - 1];
  if (last !== undefined && chars(last) + 2 + chars(block) <= limit) parts[parts.length - 1] = `${last}\n\n${block}`;
  else parts.push(...splitText(block, limit));
  return parts;
}

/** The calls that show one outbound message, and the keyboard it leaves behind. */
export function renderZalo(o: MessageOutbound): ZaloRendering {
  const flat = (o.buttons ?? []).flat();
  const keyboard = numberedButtons(flat);
  const mainText = (o.kind === "text" ? o.text : (o.caption ?? "")).normalize("NFC");
  const list = flat.length > 0 ? numberedList(flat.map((b) => ({ ...b, label: b.label.normalize("NFC") })), looksVietnamese(mainText + flat.map((b) => b.label).join(""))) : undefined;

  if (o.kind === "text") {
    const texts = withBlock(mainText, list, TEXT_LIMIT);
    return { calls: texts.map((text) => ({ method: "sendMessage", params: { text } })), keyboard };
  }
  if (o.media === "photo" && /^https:\/\//i.test(o.fileRef)) {
    const captioned = withBlock(mainText, list, TEXT_LIMIT);
    const [caption, ...rest] = captioned;
    return {
      calls: [{ method: "sendPhoto", params: { photo: o.fileRef, ...(caption ? { caption } : {}) } }, ...rest.map((text) => ({ method: "sendMessage" as const, params: { text } }))],
      keyboard,
    };
  }
  // No file sends on the Bot Platform: say what was attached (and where, when it is a public link).
  const link = /^https?:\/\//i.test(o.fileRef) ? o.fileRef : undefined;
  const label = ["📎", o.fileName ?? (o.media === "photo" ? "(ảnh)" : "(tệp)"), link].filter(Boolean).join(" ");
  const texts = withBlock(mainText ? `${mainText}\n\n${label}` : label, list, TEXT_LIMIT);
  return { calls: texts.map((text) => ({ method: "sendMessage", params: { text } })), keyboard };
}

/**
 * The payload a typed reply picks from the last keyboard: "2", " 2. ", "2)" → the second
 * button. Anything else — or a number outside the list — gives `undefined` (the text goes
 * on as text). Same folding as the engine's typed choices.
 */
export function pickByNumber(text: string, keyboard: readonly Button[]): string | undefined {
  const typed = text.trim().replace(/[.!?,;:)]+$/g, "").trim();
  if (!/^\d{1,3}$/.test(typed)) return undefined;
  return keyboard[Number(typed) - 1]?.payload;
}
