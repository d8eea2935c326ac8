/**
 * Reads a meeting's date and time typed the way Vietnamese people type it, with or without
 * diacritics: "19/9 19h30", "19/09/2026 7h30 tối", "thứ 7 tuần sau 8h", "thu 7 tuan sau 8h",
 * "ngày mai 19:00", "8 giờ sáng chủ nhật". Wall-clock times are in Asia/Ho_Chi_Minh; the
 * result is a UTC instant. Bad input is a value naming what is wrong, never a throw.
 *
 * @example
 * parseMeetingTime("19/9 19h30", new Date("2026-09-14T02:00:00Z"))
 * // → { ok: true, at: 2026-09-19T12:30:00.000Z }
 */
import { foldText } from "./text.js";
import { localParts, zonedInstant } from "./time.js";

export type MeetingTimeError =
  /** Nothing recognisable as a date or a time. */
  | "unrecognized"
  /** A time but no day ("19h30"). */
  | "no-date"
  /** A day but no time ("19/9"). */
  | "no-time"
  /** A day that does not exist ("31/02"). */
  | "impossible-date"
  /** An hour or minute out of range ("25h"). */
  | "impossible-time"
  /** The moment has already passed. */
  | "past";

export type MeetingTimeResult = { ok: true; at: Date } | { ok: false; error: MeetingTimeError };

/** A date without a year that lies further back than this is read as next year's. */
const NEXT_YEAR_AFTER_DAYS = 60;
const DAY_MS = 86_400_000;

const WEEKDAY_WORDS: Record<string, number> = {
  "chu nhat": 0, cn: 0, "thu hai": 1, "thu ba": 2, "thu tu": 3, "thu nam": 4, "thu sau": 5, "thu bay": 6,
};

interface Clock {
  hour: number;
  minute: number;
}

/** Reads "19h30", "19h", "19:30", "7g30", "7 giờ 30 phút", "8h sáng", "7h30 tối". */
function readTime(text: string): { time?: Clock; rest: string; bad?: boolean } {
  const re = /(?:^|\s|lúc|luc)(\d{1,2})\s*(?:h|g|gio|:|giờ)\s*(\d{1,2})?(?:\s*(?:p|phut))?(?:\s*(sang|trua|chieu|toi|dem))?(?=\s|$|,)/;
  const m = re.exec(text);
  if (!m) return { rest: text };
  let hour = Number(m[1]);
  const minute = m[2] ? Number(m[2]) : 0;
  // A period may also stand apart from the time: "tối thứ 7 tuần sau 7h30" ("tuần tới" is not one).
  const period = m[3] ?? /(?:^|\s)(sang|trua|chieu|dem)(?=\s|$)/.exec(text)?.[1] ?? (/(?:^|\s)toi(?=\s|$)/.test(text.replace(/tuan toi/g, "")) ? "toi" : undefined);
  const rest = (text.slice(0, m.index) + " " + text.slice(m.index + m[0].length)).replace(/\s+/g, " ").trim();
  if (hour > 23 || minute > 59) return { rest, bad: true };
  if (period === "chieu" || period === "toi" || period === "dem") {
    if (hour < 12) hour += 12;
    if (hour === 24) hour = 0;
  } else if (period === "trua" && hour < 6) hour += 12;
  else if (period === "sang" && hour === 12) hour = 0;
  return { time: { hour, minute }, rest };
}

type DayPart = { kind: "date"; day: number; month: number; year?: number } | { kind: "weekday"; weekday: number; nextWeek: boolean } | { kind: "relative"; days: number };

/** Reads "19/9", "19/09/2026", "19-9-26", "thứ 7 (tuần sau)", "chủ nhật", "ngày mai", "tối nay". */
function readDay(text: string): DayPart | undefined {
  const numeric = /(?:^|\s|ngay\s)(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2,4}))?(?=\s|$|,)/.exec(text);
  if (numeric) {
    const year = numeric[3] ? Number(numeric[3]) : undefined;
    return { kind: "date", day: Number(numeric[1]), month: Number(numeric[2]), year: year !== undefined && year < 100 ? 2000 + year : year };
  }
  const nextWeek = /\btuan (sau|toi)\b/.test(text);
  const digit = /(?:^|\s)(?:thu\s*|t)([2-7])(?=\s|$|,)/.exec(text);
  if (digit) return { kind: "weekday", weekday: Number(digit[1]) - 1, nextWeek };
  for (const [word, weekday] of Object.entries(WEEKDAY_WORDS))
    if (new RegExp(`(?:^|\\s)${word}(?=\\s|$|,)`).test(text)) return { kind: "weekday", weekday, nextWeek };
  // "hôm nay", and "tối nay" / "chiều nay" (the period itself is read with the time).
  if (/(?:^|\s)(?:hom )?nay(?=\s|$)/.test(text)) return { kind: "relative", days: 0 };
  if (/(?:^|\s)(?:ngay kia|ngay mot|mot)(?=\s|$)/.test(text)) return { kind: "relative", days: 2 };
  if (/(?:^|\s)(?:ngay mai|mai)(?=\s|$)/.test(text)) return { kind: "relative", days: 1 };
  return undefined;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** The local calendar date `days` after the local date of `now`. */
function shiftLocalDate(now: Date, days: number, timeZone: string): { year: number; month: number; day: number } {
  const p = localParts(now, timeZone);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const ENGLISH_DAYS: Record<string, string> = {
  monday: "thu 2", mon: "thu 2", tuesday: "thu 3", tue: "thu 3", wednesday: "thu 4", wed: "thu 4", thursday: "thu 5",
  friday: "thu 6", fri: "thu 6", saturday: "thu 7", sat: "thu 7", sunday: "chu nhat", sun: "chu nhat",
};

/**
 * Rewrites the English words the English prompts suggest into the Vietnamese ones read below:
 * "next Friday 5pm" → "thu 6 tuan sau 17h", "tomorrow 7:30am" → "mai 7h30", "tonight 8pm" →
 * "hom nay 20h". ("thu" stays Vietnamese: it is "thứ", not Thursday.)
 */
function fromEnglish(text: string): string {
  return text
    .replace(/(?:^|\s)(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)(?=\s|$|,)/g, (_m, h: string, min: string | undefined, ap: string) => {
      const hour = (Number(h) % 12) + (ap === "pm" ? 12 : 0);
      return ` ${hour}h${min ?? ""}`;
    })
    .replace(/(?:^|\s)next (monday|mon|tuesday|tue|wednesday|wed|thursday|friday|fri|saturday|sat|sunday|sun)(?=\s|$|,)/g, (_m, d: string) => ` ${ENGLISH_DAYS[d]} tuan sau`)
    .replace(/(?:^|\s)(monday|mon|tuesday|tue|wednesday|wed|thursday|friday|fri|saturday|sat|sunday|sun)(?=\s|$|,)/g, (_m, d: string) => ` ${ENGLISH_DAYS[d]}`)
    .replace(/(?:^|\s)(tomorrow|today|tonight|next week|at|on)(?=\s|$|,)/g, (_m, w: string) =>
      ({ tomorrow: " mai", today: " hom nay", tonight: " hom nay toi", "next week": " tuan sau", at: " ", on: " " })[w] ?? " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Parses a typed meeting date and time relative to `now`. A date without a year is this
 * year's, or next year's when it lies more than two months back ("10/1" typed in December).
 */
export function parseMeetingTime(input: string, now: Date, timeZone = "Asia/Ho_Chi_Minh"): MeetingTimeResult {
  const text = fromEnglish(foldText(input)).replace(/\b(vao|luc|ngay)\b(?!\s*(?:mai|kia|mot)\b)/g, " ").replace(/\s+/g, " ").trim();
  const withLuc = ` ${text}`;
  const time = readTime(withLuc);
  const day = readDay(` ${time.rest} `.replace(/\s+/g, " "));
  if (time.bad) return { ok: false, error: "impossible-time" };
  if (!time.time && !day) return { ok: false, error: "unrecognized" };
  if (!day) return { ok: false, error: "no-date" };
  if (!time.time) return { ok: false, error: "no-time" };
  const { hour, minute } = time.time;
  const today = localParts(now, timeZone);

  let at: Date;
  if (day.kind === "date") {
    let year = day.year ?? today.year;
    if (!isRealDate(year, day.month, day.day)) {
      // 29/02 without a year may exist next year; anything else does not exist at all.
      if (day.year === undefined && isRealDate(year + 1, day.month, day.day)) year += 1;
      else return { ok: false, error: "impossible-date" };
    }
    at = zonedInstant({ year, month: day.month, day: day.day, hour, minute }, timeZone);
    if (day.year === undefined && now.getTime() - at.getTime() > NEXT_YEAR_AFTER_DAYS * DAY_MS) {
      if (!isRealDate(year + 1, day.month, day.day)) return { ok: false, error: "impossible-date" };
      at = zonedInstant({ year: year + 1, month: day.month, day: day.day, hour, minute }, timeZone);
    }
  } else if (day.kind === "relative") {
    at = zonedInstant({ ...shiftLocalDate(now, day.days, timeZone), hour, minute }, timeZone);
  } else {
    // Weeks start on Monday in Vietnam: "thứ 7 tuần sau" is the Saturday of next week.
    const mondayBased = (wd: number) => (wd + 6) % 7;
    let days: number;
    if (day.nextWeek) days = 7 - mondayBased(today.weekday) + mondayBased(day.weekday);
    else {
      days = (day.weekday - today.weekday + 7) % 7;
      const candidate = zonedInstant({ ...shiftLocalDate(now, days, timeZone), hour, minute }, timeZone);
      if (candidate.getTime() <= now.getTime()) days += 7;
    }
    at = zonedInstant({ ...shiftLocalDate(now, days, timeZone), hour, minute }, timeZone);
  }
  if (at.getTime() <= now.getTime()) return { ok: false, error: "past" };
  return { ok: true, at };
}
