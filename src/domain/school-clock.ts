/**
 * The school-hours clock: which instants count as "school time" for a school, and adding N
 * school hours to an instant. Pure: the calendar is data (per school and year), the time zone
 * has no daylight saving (Vietnam), and nothing here reads the system clock.
 *
 * School time = a school day (its weekday is a school day and its date is not a holiday)
 * between the day's opening and closing time, minus quiet hours.
 *
 * @example
 * // Raised on Saturday 22:00 with Mon–Fri 07:00–17:00: 8 school hours end Monday 15:00.
 * addSchoolHours(DEFAULT_CALENDAR, saturday2200, 8)
 */
import { localParts, zonedInstant } from "./time.js";
import { DEFAULT_QUIET, hhmm, type Minutes, type QuietHours } from "./quiet-hours.js";

export { DEFAULT_QUIET, hhmm, isQuiet, parseHhmm, quietEnds, type Minutes, type QuietHours } from "./quiet-hours.js";

export interface SchoolCalendar {
  timeZone: string;
  /** School weekdays, 0 = Sunday … 6 = Saturday. */
  schoolDays: number[];
  dayStart: Minutes;
  dayEnd: Minutes;
  /** Local dates "YYYY-MM-DD" without school (Tết, public holidays, breaks). */
  holidays: string[];
  quiet: QuietHours;
}

/** Monday–Friday 07:00–17:00, no holidays, quiet 21:00–06:30 and Sundays. */
export const DEFAULT_CALENDAR: SchoolCalendar = {
  timeZone: "Asia/Ho_Chi_Minh",
  schoolDays: [1, 2, 3, 4, 5],
  dayStart: 7 * 60,
  dayEnd: 17 * 60,
  holidays: [],
  quiet: DEFAULT_QUIET,
};

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, "0");

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** "YYYY-MM-DD" of a local date. */
export function isoDate(d: LocalDate): string {
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

function addDays(d: LocalDate, n: number): LocalDate & { weekday: number } {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + n * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), weekday: t.getUTCDay() };
}

const at = (d: LocalDate, minutes: Minutes, tz: string) =>
  zonedInstant({ year: d.year, month: d.month, day: d.day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, tz);

/** True when the local date of `instant` is a school day. */
export function isSchoolDay(cal: SchoolCalendar, instant: Date): boolean {
  const p = localParts(instant, cal.timeZone);
  return isSchoolDate(cal, p, p.weekday);
}

function isSchoolDate(cal: SchoolCalendar, d: LocalDate, weekday: number): boolean {
  if (!cal.schoolDays.includes(weekday)) return false;
  if (cal.quiet.sundays && weekday === 0) return false;
  return !cal.holidays.includes(isoDate(d));
}

/** The school-time window of a local date (empty when it is not a school day). */
function windowOf(cal: SchoolCalendar, d: LocalDate, weekday: number): [Date, Date] | undefined {
  if (!isSchoolDate(cal, d, weekday)) return undefined;
  // Quiet hours cut the school day at both ends when they overlap it.
  let open = cal.dayStart, close = cal.dayEnd;
  if (cal.quiet.start > cal.quiet.end) {
    open = Math.max(open, cal.quiet.end);
    close = Math.min(close, cal.quiet.start);
  } else if (cal.quiet.start < cal.quiet.end) {
    if (cal.quiet.start <= open && cal.quiet.end > open) open = cal.quiet.end;
    if (cal.quiet.start < close && cal.quiet.end >= close) close = cal.quiet.start;
  }
  if (close <= open) return undefined;
  return [at(d, open, cal.timeZone), at(d, close, cal.timeZone)];
}

/** School hours in one school day of this calendar. */
export function hoursPerDay(cal: SchoolCalendar): number {
  const monday = { year: 2026, month: 1, day: 5 };
  const w = windowOf({ ...cal, holidays: [], schoolDays: [1] }, monday, 1);
  return w ? (w[1].getTime() - w[0].getTime()) / 3_600_000 : 0;
}

/**
 * Adds `hours` school hours to `start`: the clock runs only inside school windows. A start
 * outside school time begins at the next window's opening. Gives up after two years (a
 * calendar without any school day) and returns the start plus the hours of wall-clock time.
 */
export function addSchoolHours(cal: SchoolCalendar, start: Date, hours: number): Date {
  let remaining = hours * 3_600_000;
  const first = localParts(start, cal.timeZone);
  for (let i = 0; i < 730; i++) {
    const d = addDays(first, i);
    const w = windowOf(cal, d, d.weekday);
    if (!w) continue;
    const from = Math.max(w[0].getTime(), start.getTime());
    const to = w[1].getTime();
    if (from >= to) continue;
    if (from + remaining <= to) return new Date(from + remaining);
    remaining -= to - from;
  }
  return new Date(start.getTime() + hours * 3_600_000);
}

/** School hours elapsed between two instants (0 when `to` is not after `from`). */
export function schoolHoursBetween(cal: SchoolCalendar, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  let ms = 0;
  const first = localParts(from, cal.timeZone);
  for (let i = 0; i < 730; i++) {
    const d = addDays(first, i);
    const w = windowOf(cal, d, d.weekday);
    if (w) ms += Math.max(0, Math.min(w[1].getTime(), to.getTime()) - Math.max(w[0].getTime(), from.getTime()));
    if (at(d, 0, cal.timeZone).getTime() > to.getTime()) break;
  }
  return ms / 3_600_000;
}

/** Adds `days` school days: that many full school days' worth of school hours. */
export function addSchoolDays(cal: SchoolCalendar, start: Date, days: number): Date {
  return addSchoolHours(cal, start, days * hoursPerDay(cal));
}

/** A local time window "start–end" (minutes; may wrap midnight). */
export interface TimeRange {
  start: Minutes;
  end: Minutes;
}

const clockPart = (h: string, m: string | undefined): Minutes | undefined => {
  const hours = Number(h), minutes = Number(m ?? "0");
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : undefined;
};

/**
 * Reads a time window typed by a person or an admin: "21:30-06:00", "21h30 - 6h", "22-7",
 * "21.30–06.00". Undefined when it is not two times of day, or both are the same.
 */
export function parseTimeRange(text: string): TimeRange | undefined {
  const m = /^(\d{1,2})(?:[:h.](\d{2})?)?\s*(?:-|–|—|đến|den|to)\s*(\d{1,2})(?:[:h.](\d{2})?)?$/i.exec(text.trim());
  if (!m) return undefined;
  const start = clockPart(m[1]!, m[2]), end = clockPart(m[3]!, m[4]);
  if (start === undefined || end === undefined || start === end) return undefined;
  return { start, end };
}

/** "21:30-06:00". */
export function formatTimeRange(r: TimeRange): string {
  return `${hhmm(r.start)}-${hhmm(r.end)}`;
}

/** Longest quiet window a teacher may set: quiet hours are for the night, not the school day. */
export const MAX_QUIET_HOURS = 14;

/**
 * A teacher's own quiet hours must be a night window: it contains 03:00 and lasts at most
 * 14 hours ("21:30-06:00" yes; "08:00-17:00", which would hide concerns all school day, no).
 */
export function isNightWindow(r: TimeRange): boolean {
  const length = (r.end - r.start + 1440) % 1440;
  const threeAm = (3 * 60 - r.start + 1440) % 1440;
  return length > 0 && length <= MAX_QUIET_HOURS * 60 && threeAm < length;
}

/** Windows offered as buttons in the teacher's "Giờ yên tĩnh của tôi" (the first is the default). */
export const QUIET_PRESETS: readonly TimeRange[] = [
  { start: 21 * 60, end: 6 * 60 + 30 },
  { start: 21 * 60 + 30, end: 6 * 60 },
  { start: 22 * 60, end: 7 * 60 },
  { start: 20 * 60, end: 6 * 60 },
];
