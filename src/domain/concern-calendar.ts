/**
 * A school's concern calendar as an admin types it: school days ("mon-sat", "mon,tue,thu",
 * "t2-t7"), hours ("07:00-17:00"), holidays ("2027-02-10..2027-02-16" or one date), the
 * targets. Parsing gives the stored form or an error that shows an example. Pure.
 */
import { hhmm, parseTimeRange, type TimeRange } from "./school-clock.js";

const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
/** Vietnamese day names: Thứ Hai = t2 … Thứ Bảy = t7, Chủ nhật = cn. */
const VI_DAYS: Record<string, number> = { cn: 0, t2: 1, t3: 2, t4: 3, t5: 4, t6: 5, t7: 6 };

export class CalendarInputError extends Error {
  override name = "CalendarInputError";
}

function dayOf(token: string): number | undefined {
  const t = token.trim().toLowerCase().slice(0, 3);
  const en = (DAY_NAMES as readonly string[]).indexOf(t);
  if (en >= 0) return en;
  return VI_DAYS[token.trim().toLowerCase()];
}

/** "mon-sat" → [1..6]; "mon,wed,fri" → [1,3,5]; ranges run Monday→Sunday ("sat-sun" is fine). */
export function parseSchoolDays(text: string): number[] {
  const days = new Set<number>();
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [a, b, ...rest] = part.split("-");
    const from = dayOf(a ?? ""), to = b === undefined ? from : dayOf(b);
    if (from === undefined || to === undefined || rest.length > 0)
      throw new CalendarInputError(`--days: cannot read "${part}"; write e.g. --days mon-fri or --days mon-sat or --days mon,tue,wed,thu,fri`);
    // Monday-first order, so "mon-sun" covers the whole week.
    const order = (d: number) => (d + 6) % 7;
    if (order(to) < order(from)) throw new CalendarInputError(`--days: "${part}" runs backwards; write e.g. --days mon-sat`);
    for (let o = order(from); o <= order(to); o++) days.add((o + 1) % 7);
  }
  if (days.size === 0) throw new CalendarInputError("--days: at least one school day, e.g. --days mon-fri");
  return [...days].sort((x, y) => ((x + 6) % 7) - ((y + 6) % 7));
}

/** [1,2,3,4,5] → "mon-fri"; [1,3,5] → "mon,wed,fri". */
export function formatSchoolDays(days: number[]): string {
  const order = [...new Set(days)].map((d) => (d + 6) % 7).sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1] === order[j]! + 1) j++;
    const name = (o: number) => DAY_NAMES[(o + 1) % 7]!;
    parts.push(j - i >= 2 ? `${name(order[i]!)}-${name(order[j]!)}` : order.slice(i, j + 1).map(name).join(","));
    i = j + 1;
  }
  return parts.join(",");
}

/** "07:00-17:00": the school day's opening and closing (same day, opening first, at least an hour). */
export function parseSchoolHours(text: string): TimeRange {
  const r = parseTimeRange(text);
  if (!r || r.end - r.start < 60) throw new CalendarInputError(`--hours: cannot use "${text}"; write opening and closing time of the same day, e.g. --hours 07:00-17:00`);
  return r;
}

export const formatHours = (r: TimeRange) => `${hhmm(r.start)}-${hhmm(r.end)}`;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** Longest holiday range accepted in one --holiday (a summer break is about 3 months). */
export const MAX_HOLIDAY_DAYS = 120;

function dateOf(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === text.trim() ? t : undefined;
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * Holidays as local dates: each value is "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD", several
 * separated by commas or given as repeated flags; "none" clears them.
 */
export function parseHolidays(values: string[]): string[] {
  const dates = new Set<string>();
  for (const part of values.flatMap((v) => v.split(",")).map((p) => p.trim()).filter(Boolean)) {
    if (part.toLowerCase() === "none") continue;
    const [a, b, ...rest] = part.split("..");
    const from = dateOf(a ?? ""), to = b === undefined ? from : dateOf(b);
    if (from === undefined || to === undefined || rest.length > 0)
      throw new CalendarInputError(`--holiday: cannot read "${part}"; write e.g. --holiday 2027-02-10..2027-02-16 --holiday 2026-09-02`);
    if (to < from) throw new CalendarInputError(`--holiday: "${part}" ends before it starts; write e.g. --holiday 2027-02-10..2027-02-16`);
    if ((to - from) / DAY_MS + 1 > MAX_HOLIDAY_DAYS) throw new CalendarInputError(`--holiday: "${part}" is longer than ${MAX_HOLIDAY_DAYS} days`);
    for (let t = from; t <= to; t += DAY_MS) dates.add(iso(t));
  }
  return [...dates].sort();
}

/** Sorted dates back to compact ranges: ["2027-02-10", …, "2027-02-16", "2026-09-02"] → ["2026-09-02", "2027-02-10..2027-02-16"]. */
export function formatHolidays(dates: string[]): string[] {
  const ts = [...new Set(dates)].map((d) => dateOf(d)).filter((t): t is number => t !== undefined).sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < ts.length; ) {
    let j = i;
    while (j + 1 < ts.length && ts[j + 1] === ts[j]! + DAY_MS) j++;
    out.push(j > i ? `${iso(ts[i]!)}..${iso(ts[j]!)}` : iso(ts[i]!));
    i = j + 1;
  }
  return out;
}

/** A whole number within [min, max], or an error naming the flag with an example. */
export function parseBounded(flag: string, text: string, min: number, max: number, example: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max)
    throw new CalendarInputError(`--${flag}: a whole number from ${min} to ${max}, e.g. --${flag} ${example}`);
  return n;
}

/** "2026-2027". */
export function isYearName(text: string): boolean {
  const m = /^(\d{4})-(\d{4})$/.exec(text.trim());
  return Boolean(m && Number(m[2]) === Number(m[1]) + 1);
}
