/**
 * When a notice may reach families: outside quiet hours (21:00–06:30 by default), unless it
 * is urgent. Pure; the clock is an argument.
 *
 * @example
 * releaseTime(new Date("2026-09-14T15:00:00Z"), false) // 22:00 local → 15/09 06:30 local
 */
import { DEFAULT_QUIET_HOURS, inQuietHours, type QuietHours } from "./meeting-reminders.js";
import { localParts, zonedInstant } from "./time.js";

/** The end of the quiet hours that contain `at` (the next local `quiet.end`). */
export function quietEnd(at: Date, quiet: QuietHours = DEFAULT_QUIET_HOURS, timeZone = "Asia/Ho_Chi_Minh"): Date {
  const [h, m] = quiet.end.split(":").map(Number);
  const p = localParts(at, timeZone);
  const today = zonedInstant({ year: p.year, month: p.month, day: p.day, hour: h ?? 0, minute: m ?? 0 }, timeZone);
  return today.getTime() > at.getTime() ? today : new Date(today.getTime() + 86_400_000);
}

/** When a notice sent at `at` may be delivered: `at` itself, or the end of the quiet hours. */
export function releaseTime(at: Date, urgent: boolean, quiet: QuietHours = DEFAULT_QUIET_HOURS, timeZone = "Asia/Ho_Chi_Minh"): Date {
  return urgent || !inQuietHours(at, quiet, timeZone) ? at : quietEnd(at, quiet, timeZone);
}
