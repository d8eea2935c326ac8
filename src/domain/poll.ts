/**
 * Pure rules of quick polls and opinion rounds: who may organize them and for which scope,
 * how the option list is read, when a text mentions money (Circular 55/2011 Art. 10
 * reminder). Quiet hours are `quiet-hours.ts`. Imports nothing outside the domain.
 *
 * @example
 * parsePollOptions("Có\nKhông") // → { ok: true, options: ["Có", "Không"] }
 * mentionsMoney("Đóng quỹ lớp học kỳ II") // → true
 */
import type { Roles } from "./roles.js";
import { foldText } from "./text.js";

export const MIN_POLL_OPTIONS = 2;
export const MAX_POLL_OPTIONS = 10;
/** Longest option, in characters: it becomes a button label. */
export const MAX_OPTION_LENGTH = 60;

/** Where a poll or an opinion round goes: one class, or the whole school. */
export type OrganizerScope =
  | { kind: "class"; schoolId: string; classGroupId: string; className: string }
  | { kind: "school"; schoolId: string };

/** A stable token for a scope (a choice id in flows). */
export function scopeKey(s: OrganizerScope): string {
  return s.kind === "class" ? `c${s.classGroupId}` : `s${s.schoolId}`;
}

/**
 * The scopes a person may organize for. Polls: a class-board member (their class), a
 * school-board member or the principal (the school), a homeroom teacher (their class).
 * Opinion rounds add the vice-principal (staff may open rounds, issue 5).
 */
export function organizerScopes(roles: Roles, feature: "poll" | "opinion"): OrganizerScope[] {
  const out = new Map<string, OrganizerScope>();
  const add = (s: OrganizerScope) => out.set(scopeKey(s), s);
  for (const b of roles.board) {
    if (b.scope === "class" && b.classGroupId) add({ kind: "class", schoolId: b.schoolId, classGroupId: b.classGroupId, className: b.className });
    if (b.scope === "school") add({ kind: "school", schoolId: b.schoolId });
  }
  for (const s of roles.staff) {
    if (s.role === "homeroom-teacher" && s.classGroupId) add({ kind: "class", schoolId: s.schoolId, classGroupId: s.classGroupId, className: s.className });
    if (s.role === "principal" || (feature === "opinion" && s.role === "vice-principal")) add({ kind: "school", schoolId: s.schoolId });
  }
  return [...out.values()];
}

/** True when the person may organize for exactly this scope. */
export function mayOrganize(roles: Roles, feature: "poll" | "opinion", scope: OrganizerScope): boolean {
  return organizerScopes(roles, feature).some((s) => scopeKey(s) === scopeKey(scope));
}

export type PollOptionsResult =
  | { ok: true; options: string[] }
  | { ok: false; error: "too-few" | "too-many"; count: number }
  | { ok: false; error: "duplicate"; option: string }
  | { ok: false; error: "too-long"; option: string };

/**
 * Reads options typed one per line, or on one line separated by ";" (on Zalo and Telegram
 * desktop, Enter sends the message). Leading list marks ("1.", "2)", "-", "•") are dropped;
 * duplicates are compared without case or diacritics ("Có" = "co").
 */
export function parsePollOptions(text: string): PollOptionsResult {
  const oneLine = !/\S\s*\r?\n\s*\S/.test(text.trim());
  const options = text
    .split(oneLine ? ";" : /\r?\n/)
    .map((l) => l.replace(/^\s*(?:\d{1,2}\s*[.)]|[-*•+])\s*/, "").trim())
    .filter((l) => l.length > 0);
  if (options.length < MIN_POLL_OPTIONS) return { ok: false, error: "too-few", count: options.length };
  if (options.length > MAX_POLL_OPTIONS) return { ok: false, error: "too-many", count: options.length };
  const seen = new Set<string>();
  for (const o of options) {
    if ([...o].length > MAX_OPTION_LENGTH) return { ok: false, error: "too-long", option: o };
    const folded = foldText(o);
    if (seen.has(folded)) return { ok: false, error: "duplicate", option: o };
    seen.add(folded);
  }
  return { ok: true, options };
}

/**
 * Words that mean money. Matched per word either with their diacritics or typed in plain
 * ASCII — never by folding, because "Quý phụ huynh" (dear parents) and "thuận tiện"
 * (convenient) fold to "quy" and "tien" too.
 */
const MONEY_WORDS = ["tiền", "quỹ", "đóng góp", "ủng hộ", "khoản thu", "tien", "quy", "dong gop", "ung ho", "khoan thu"];

/** True when a poll or round text mentions money ("tiền", "quỹ", "đóng góp", also without diacritics). */
export function mentionsMoney(text: string): boolean {
  const words = text.normalize("NFC").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const joined = ` ${words.join(" ")} `;
  return MONEY_WORDS.some((w) => joined.includes(` ${w} `));
}
