/**
 * Quiet hours, one definition for every send. The school's nightly window (default
 * 21:00–06:30, from the school calendar) holds every non-urgent message to families and staff —
 * notices, polls and their results, invitations, reminders (except the last rung), concerns —
 * until it ends. The only overrides are the principal's *khẩn cấp* notice and safety/bullying
 * concerns. A teacher's own quiet hours (which may also make Sundays quiet) apply on top, to
 * concerns addressed to that teacher. Pure: nothing here reads the system clock.
 */
import { localParts, zonedInstant } from "./time.js";

/** "HH:MM" wall-clock time as minutes after midnight. */
export type Minutes = number;

/** A quiet window: from `start` to `end` (overnight when start > end); optionally all of Sunday. */
export interface QuietHours {
  start: Minutes;
  end: Minutes;
  /** Sundays are quiet all day. */
  sundays: boolean;
}

/** Parses "21:00" / "6:30" into minutes; undefined when it is not a time of day. */
export function parseHhmm(text: string): Minutes | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]), min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : undefined;
}

/** Minutes back to "HH:MM". */
export function hhmm(minutes: Minutes): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** A teacher's default for concerns: the night and all of Sunday. */
export const DEFAULT_QUIET: QuietHours = { start: 21 * 60, end: 6 * 60 + 30, sundays: true };

/** The school's nightly window for sends to families (Sundays are not held). */
export const SCHOOL_NIGHT: QuietHours = { start: 21 * 60, end: 6 * 60 + 30, sundays: false };

/** True during quiet hours (overnight window, or all of Sunday when Sundays are quiet). */
export function isQuiet(quiet: QuietHours, instant: Date, timeZone = "Asia/Ho_Chi_Minh"): boolean {
  const p = localParts(instant, timeZone);
  if (quiet.sundays && p.weekday === 0) return true;
  const m = p.hour * 60 + p.minute;
  return quiet.start > quiet.end ? m >= quiet.start || m < quiet.end : m >= quiet.start && m < quiet.end;
}

/**
 * The first instant at or after `instant` outside quiet hours (itself when not quiet).
 * Saturday 22:00 with quiet Sundays → Monday 06:30.
 */
export function quietEnds(quiet: QuietHours, instant: Date, timeZone = "Asia/Ho_Chi_Minh"): Date {
  if (!isQuiet(quiet, instant, timeZone)) return instant;
  const p = localParts(instant, timeZone);
  for (let i = 0; i < 14; i++) {
    const t = new Date(Date.UTC(p.year, p.month - 1, p.day) + i * 86_400_000);
    const candidate = zonedInstant({ year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), hour: Math.floor(quiet.end / 60), minute: quiet.end % 60 }, timeZone);
    if (candidate.getTime() > instant.getTime() && !isQuiet(quiet, candidate, timeZone)) return candidate;
  }
  return instant; // a calendar that is always quiet: deliver anyway
}

/** When a send made at `instant` may go: at once when urgent or outside quiet hours, else when they end. */
export function releaseAt(instant: Date, quiet: QuietHours, timeZone: string, options: { urgent?: boolean } = {}): Date {
  return options.urgent ? instant : quietEnds(quiet, instant, timeZone);
}

/** `{ notBefore }` for an outbox item when the send must wait, `{}` when it may go now. */
export function holdUntil(instant: Date, quiet: QuietHours, timeZone: string, options: { urgent?: boolean } = {}): { notBefore?: Date } {
  const at = releaseAt(instant, quiet, timeZone, options);
  return at.getTime() > instant.getTime() ? { notBefore: at } : {};
}
