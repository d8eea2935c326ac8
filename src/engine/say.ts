import type { MessageKey } from "../i18n/keys.js";

/** A date placeholder, formatted per the reader's locale (and the school's zone) at render time. */
export type DateArg = { date: string; style: "date" | "time" | "datetime" };

/** One line of a `lines` placeholder: a message of its own, rendered for the same reader. */
export interface SayLine {
  key: MessageKey;
  args?: Record<string, string | number | DateArg>;
}

/**
 * A value for a message placeholder: text, a number, a date, or lines (one message per line,
 * each rendered in the reader's locale: a list whose length the message cannot know, such as
 * each child's answer so far).
 */
export type SayArg = string | number | DateArg | { lines: SayLine[] };
export type SayArgs = Record<string, SayArg>;

/** A button as a message key (rendered per locale) or literal text (a student's name). */
export type SayButton = ({ key: MessageKey; args?: SayArgs } | { text: string }) & { payload: string };

/**
 * A message before translation. Flows and services speak in `Say`s; the engine renders them
 * for the person's locale, and the outbox renders them for each recipient's locale at send
 * time, so a delivery record never depends on who created it.
 */
export interface Say {
  key: MessageKey;
  args?: SayArgs;
  buttons?: SayButton[][];
  /** A file to send with the message (the text becomes its caption). */
  file?: { media: "photo" | "document"; fileRef: string; fileName?: string };
  /**
   * This message replaces the previous message with the same key in this chat (edited in place
   * where the channel can; Zalo and the web playground just send a new message).
   */
  replaceKey?: string;
  /** With `replaceKey`: send a new message anyway; later ones with the key replace this one. */
  replaceFresh?: boolean;
  /**
   * Shown in place of the message whose button was pressed (Telegram edits it; elsewhere, or
   * when no button was pressed, it is sent as a new message).
   */
  inPlace?: boolean;
}

/** Shorthand for a `Say`. */
export function say(key: MessageKey, args?: SayArgs, buttons?: SayButton[][]): Say {
  return { key, ...(args ? { args } : {}), ...(buttons ? { buttons } : {}) };
}

/** A date argument. */
export function dateArg(at: Date, style: "date" | "time" | "datetime" = "datetime"): DateArg {
  return { date: at.toISOString(), style };
}

/** A lines argument: each line a message, rendered per reader and joined by line breaks. */
export function linesArg(lines: SayLine[]): SayArg {
  return { lines };
}
