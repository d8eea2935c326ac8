/**
 * The reminder ladder of a meeting: which reminders to send and when. Pure; the clock is an
 * argument. Default: 3 days before at 19:00, 1 day before at 19:00, 2 hours before. None
 * falls in quiet hours (21:00–06:30) except the last rung, none is already past, none is at
 * or after the meeting itself.
 *
 * @example
 * planReminders(new Date("2026-09-19T12:30:00Z"), new Date("2026-09-14T02:00:00Z"))
 * // → [{ offset: "d3-1900", at: 16/09 19:00 local }, { offset: "d1-1900", … }, { offset: "m120", … }]
 */
import { localParts, zonedInstant } from "./time.js";

/** One rung: N days before at a wall-clock time, or N minutes before the start. */
export type Rung = { daysBefore: number; at: string } | { minutesBefore: number };

export const DEFAULT_LADDER: readonly Rung[] = [
  { daysBefore: 3, at: "19:00" },
  { daysBefore: 1, at: "19:00" },
  { minutesBefore: 120 },
];

/** Quiet hours as local "HH:MM" bounds; the window may wrap midnight. */
export interface QuietHours {
  start: string;
  end: string;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { start: "21:00", end: "06:30" };

/** A planned reminder: `offset` is stable across reschedules (it names the rung, not the time). */
export interface PlannedReminder {
  offset: string;
  at: Date;
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** The stable id of a rung: "d3-1900", "m120". Safe in BullMQ job ids and delivery keys. */
export function rungId(rung: Rung): string {
  return "daysBefore" in rung ? `d${rung.daysBefore}-${rung.at.replace(":", "")}` : `m${rung.minutesBefore}`;
}

/** True when `at` falls inside quiet hours (local time). */
export function inQuietHours(at: Date, quiet: QuietHours = DEFAULT_QUIET_HOURS, timeZone = "Asia/Ho_Chi_Minh"): boolean {
  const p = localParts(at, timeZone);
  const t = p.hour * 60 + p.minute;
  const start = minutesOf(quiet.start), end = minutesOf(quiet.end);
  return start <= end ? t >= start && t < end : t >= start || t < end;
}

function rungTime(startsAt: Date, rung: Rung, timeZone: string): Date {
  if ("minutesBefore" in rung) return new Date(startsAt.getTime() - rung.minutesBefore * 60_000);
  const p = localParts(startsAt, timeZone);
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day) - rung.daysBefore * 86_400_000);
  const minutes = minutesOf(rung.at);
  return zonedInstant({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour: Math.floor(minutes / 60), minute: minutes % 60 }, timeZone);
}

/** Plans the reminders of a meeting starting at `startsAt`, as seen at `now`. */
export function planReminders(
  startsAt: Date,
  now: Date,
  ladder: readonly Rung[] = DEFAULT_LADDER,
  quiet: QuietHours = DEFAULT_QUIET_HOURS,
  timeZone = "Asia/Ho_Chi_Minh",
): PlannedReminder[] {
  const plan: PlannedReminder[] = [];
  ladder.forEach((rung, i) => {
    const at = rungTime(startsAt, rung, timeZone);
    const last = i === ladder.length - 1;
    if (at.getTime() <= now.getTime() || at.getTime() >= startsAt.getTime()) return;
    if (!last && inQuietHours(at, quiet, timeZone)) return;
    plan.push({ offset: rungId(rung), at });
  });
  return plan.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The first moment at or after `at` outside quiet hours: invitations and nudges typed at
 * 22:00 reach families at 06:30.
 */
export function outsideQuietHours(at: Date, quiet: QuietHours = DEFAULT_QUIET_HOURS, timeZone = "Asia/Ho_Chi_Minh"): Date {
  if (!inQuietHours(at, quiet, timeZone)) return at;
  const p = localParts(at, timeZone);
  const end = minutesOf(quiet.end);
  const today = zonedInstant({ year: p.year, month: p.month, day: p.day, hour: Math.floor(end / 60), minute: end % 60 }, timeZone);
  return today.getTime() > at.getTime() ? today : new Date(today.getTime() + 86_400_000);
}
