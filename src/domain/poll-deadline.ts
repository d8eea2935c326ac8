/**
 * Reads a poll's or opinion round's deadline typed the Vietnamese way: "20/12 17h",
 * "20/12/2026 17:00", "thứ 6 tuần sau 17h". A day without a time ("20/12") means the end of
 * that day (23:59). Built on the meetings parser; a past moment is the value "past".
 *
 * @example parseDeadline("20/12 17h", new Date("2026-12-01T02:00:00Z")) // → { ok: true, at: 2026-12-20T10:00:00Z }
 */
import { parseMeetingTime, type MeetingTimeError } from "./meeting-time.js";

export type DeadlineResult = { ok: true; at: Date } | { ok: false; error: Exclude<MeetingTimeError, "no-time"> };

/** Parses a deadline relative to `now` (Asia/Ho_Chi_Minh wall-clock). */
export function parseDeadline(input: string, now: Date, timeZone = "Asia/Ho_Chi_Minh"): DeadlineResult {
  const first = parseMeetingTime(input, now, timeZone);
  if (first.ok) return first;
  if (first.error !== "no-time") return { ok: false, error: first.error };
  const endOfDay = parseMeetingTime(`${input} 23h59`, now, timeZone);
  if (endOfDay.ok) return endOfDay;
  return { ok: false, error: endOfDay.error === "no-time" ? "unrecognized" : endOfDay.error };
}
