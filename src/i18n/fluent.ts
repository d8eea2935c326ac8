/**
 * Fluent (`@fluent/bundle`) loaded from `locales/<lang>/*.ftl`. Vietnamese is the source of
 * truth; English must have the same keys (a test keeps them equal).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { FluentBundle, FluentResource } from "@fluent/bundle";
import type { MessageKey } from "./keys.js";
import type { Say, SayArgs } from "../engine/say.js";
import type { Outbound } from "../engine/messages.js";
import { formatDate, formatDateTime, formatTime } from "../domain/time.js";
import { UNKNOWN_READER, type Reader } from "../domain/address.js";

export const LOCALES = ["vi", "en"] as const;
export type Locale = (typeof LOCALES)[number];

/** The repository's `locales/` folder. */
export const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "locales");

/** Reads every message id of one locale (used by the key generator and the parity test). */
export function readMessageIds(locale: Locale, dir = LOCALES_DIR): string[] {
  const ids: string[] = [];
  for (const file of ftlFiles(locale, dir)) {
    const resource = new FluentResource(readFileSync(file, "utf8"));
    for (const entry of resource.body) if (!entry.id.startsWith("-")) ids.push(entry.id);
  }
  return ids;
}

function ftlFiles(locale: Locale, dir: string): string[] {
  const folder = join(dir, locale);
  return readdirSync(folder).filter((f) => f.endsWith(".ftl")).sort().map((f) => join(folder, f));
}

/** Picks a supported locale from a platform hint ("en-US" → "en"); Vietnamese otherwise. */
export function pickLocale(hint: string | undefined, fallback: Locale = "vi"): Locale {
  const lang = hint?.slice(0, 2).toLowerCase();
  return lang === "en" || lang === "vi" ? lang : fallback;
}

/** Translates message keys into text for a locale. */
export class Translator {
  private readonly bundles = new Map<Locale, FluentBundle>();

  constructor(readonly timeZone = "Asia/Ho_Chi_Minh", dir = LOCALES_DIR) {
    for (const locale of LOCALES) {
      const bundle = new FluentBundle(locale, { useIsolating: false });
      for (const file of ftlFiles(locale, dir)) {
        const errors = bundle.addResource(new FluentResource(readFileSync(file, "utf8")));
        if (errors.length > 0) throw new Error(`Fluent errors in ${file}: ${errors.map(String).join("; ")}`);
      }
      this.bundles.set(locale, bundle);
    }
  }

  /**
   * The text of `key` in `locale`; a missing key renders as the key so it is visible, never a crash.
   * `reader` (who reads it: `$reader`, `$title`, `$readerName`) lets the message address them ("Cô", "Quý phụ
   * huynh"); arguments the message was given explicitly win over it. Dates show in `timeZone`.
   */
  t(locale: Locale, key: MessageKey, args?: SayArgs, reader: Reader = UNKNOWN_READER, timeZone = this.timeZone): string {
    const bundle = this.bundles.get(locale) ?? this.bundles.get("vi")!;
    const message = bundle.getMessage(key) ?? this.bundles.get("vi")!.getMessage(key);
    if (!message?.value) return key;
    const errors: Error[] = [];
    return bundle.formatPattern(message.value, { reader: reader.reader, title: reader.title, readerName: reader.readerName, ...this.fluentArgs(locale, args, reader, timeZone) }, errors);
  }

  /** Renders a `Say` into an `Outbound` for one reader (dates in `timeZone`, the reader's school's). */
  render(locale: Locale, s: Say, reader: Reader = UNKNOWN_READER, timeZone = this.timeZone): Outbound {
    const text = this.t(locale, s.key, s.args, reader, timeZone);
    const buttons = s.buttons?.map((row) =>
      row.map((b) => ({ payload: b.payload, label: "text" in b ? b.text : this.t(locale, b.key, b.args, reader, timeZone) })),
    );
    const replacing = { ...(s.replaceKey ? { replaceKey: s.replaceKey } : {}), ...(s.replaceKey && s.replaceFresh ? { replaceFresh: true } : {}) };
    if (s.file) return { kind: "file", ...s.file, caption: text, ...(buttons ? { buttons } : {}), ...replacing };
    return { kind: "text", text, ...(buttons ? { buttons } : {}), ...replacing };
  }

  private fluentArgs(locale: Locale, args: SayArgs | undefined, reader: Reader, timeZone: string): Record<string, string | number> | undefined {
    if (!args) return undefined;
    const out: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(args)) {
      if (typeof value !== "object") out[name] = value;
      else if ("lines" in value) out[name] = value.lines.map((l) => this.t(locale, l.key, l.args, reader, timeZone)).join("\n");
      else {
        const at = new Date(value.date);
        out[name] =
          value.style === "date" ? formatDate(at, locale, timeZone)
          : value.style === "time" ? formatTime(at, timeZone)
          : formatDateTime(at, locale, timeZone);
      }
    }
    return out;
  }
}
