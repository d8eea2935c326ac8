/** Vietnamese weekday names indexed by `Date#getUTCDay()` of the local date. */
const WEEKDAYS_VI = ["Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"] as const;
const WEEKDAYS_EN = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

/** The wall-clock parts of an instant in a time zone. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

/** Reads the wall-clock parts of `at` in `timeZone` (Asia/Ho_Chi_Minh by default). */
export function localParts(at: Date, timeZone = "Asia/Ho_Chi_Minh"): LocalParts {
  const fmt = new Intl.DateTimeFormat("en-GB", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  const parts = Object.fromEntries(fmt.formatToParts(at).map((p) => [p.type, p.value]));
  const year = Number(parts.year), month = Number(parts.month), day = Number(parts.day);
  return {
    year, month, day, hour: Number(parts.hour), minute: Number(parts.minute),
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * Formats a date the Vietnamese way: "Thứ Bảy, 19/09/2026" (or "Saturday, 19/09/2026").
 *
 * @example formatDate(new Date("2026-09-19T12:30:00Z"), "vi") === "Thứ Bảy, 19/09/2026"
 */
export function formatDate(at: Date, locale: "vi" | "en", timeZone = "Asia/Ho_Chi_Minh"): string {
  const p = localParts(at, timeZone);
  const weekday = (locale === "vi" ? WEEKDAYS_VI : WEEKDAYS_EN)[p.weekday];
  return `${weekday}, ${pad(p.day)}/${pad(p.month)}/${p.year}`;
}

/** 24-hour time "19:30". */
export function formatTime(at: Date, timeZone = "Asia/Ho_Chi_Minh"): string {
  const p = localParts(at, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** "Thứ Bảy, 19/09/2026 lúc 19:30" / "Saturday, 19/09/2026 at 19:30". */
export function formatDateTime(at: Date, locale: "vi" | "en", timeZone = "Asia/Ho_Chi_Minh"): string {
  return `${formatDate(at, locale, timeZone)} ${locale === "vi" ? "lúc" : "at"} ${formatTime(at, timeZone)}`;
}

/**
 * The instant of a wall-clock time in a zone without daylight saving (Vietnam has none, so a
 * fixed offset read at that moment is exact).
 */
export function zonedInstant(
  parts: { year: number; month: number; day: number; hour?: number; minute?: number },
  timeZone = "Asia/Ho_Chi_Minh",
): Date {
  const guess = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour ?? 0, parts.minute ?? 0);
  const seen = localParts(new Date(guess), timeZone);
  const seenUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
  return new Date(guess - (seenUtc - guess));
}
