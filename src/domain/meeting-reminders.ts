/**
 * The reminder ladder of a meeting: which reminders to send and when. Pure; the clock is an
 * argument. Default: 3 days before at 19:00, 1 day before at 19:00, 2 hours before. None
 * falls in the school's quiet hours (`quiet-hours.ts`, default 21:00–06:30) except the last rung, none is already past, none is at
 * or after the meeting itself.
 *
 * @example
 * planReminders(new Date("2026-09-19T12:30:00Z"), new Date("2026-09-14T02:00:00Z"))
 * // → [{ offset: "d3-1900", at: 16/09 19:00 local }, { offset: "d1-1900", … }, { offset: "m120", … }]
 */
import { localParts, zonedInstant } from "./time.js";
import { isQuiet, SCHOOL_NIGHT, type QuietHours as SchoolNight } from "./quiet-hours.js";

/** One rung: N days before at a wall-clock time, or N minutes before the start. */
export type Rung = { daysBefore: number; at: string } | { minutesBefore: number };

export const DEFAULT_LADDER: readonly Rung[] = [
  { daysBefore: 3, at: "19:00" },
  { daysBefore: 1, at: "19:00" },
  { minutesBefore: 120 },
];

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

function rungTime(startsAt: Date, rung: Rung, timeZone: string): Date {
  if ("minutesBefore" in rung) return new Date(startsAt.getTime() - rung.minutesBefore * 60_000);
  const p = localParts(startsAt, timeZone);
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day) - rung.daysBefore * 86_400_000);
  const minutes = minutesOf(rung.at);
  return zonedInstant({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour: Math.floor(minutes / 60), minute: minutes % 60 }, timeZone);
}

/** When each rung of `ladder` falls for a meeting starting at `startsAt`, earliest first (rungs at or after the start left out). */
export function reminderTimes(startsAt: Date, ladder: readonly Rung[] = DEFAULT_LADDER, timeZone = "Asia/Ho_Chi_Minh"): PlannedReminder[] {
  return ladder.map((rung) => ({ offset: rungId(rung), at: rungTime(startsAt, rung, timeZone) }))
    .filter((r) => r.at.getTime() < startsAt.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Plans the reminders of a meeting starting at `startsAt`, as seen at `now`. */
export function planReminders(
  startsAt: Date,
  now: Date,
  ladder: readonly Rung[] = DEFAULT_LADDER,
  quiet: SchoolNight = SCHOOL_NIGHT,
  timeZone = "Asia/Ho_Chi_Minh",
): PlannedReminder[] {
  // The last rung is the one closest to the meeting, whatever order the ladder was typed in.
  const timed = reminderTimes(startsAt, ladder, timeZone);
  return timed.filter((r, i) => r.at.getTime() > now.getTime() && (i === timed.length - 1 || !isQuiet(quiet, r.at, timeZone)));
}

const HHMM = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const pad = (hhmm: string) => hhmm.padStart(5, "0");

/**
 * Reads a ladder typed by an admin: "3d@19:00,1d@19:00,2h" (N days before at a local time,
 * N hours "2h" or minutes "90m" before). Undefined when a rung is malformed, repeated, or the
 * ladder is empty or longer than 6 rungs.
 *
 * @example parseLadder("3d@19:00, 1d@19:00, 2h") // → DEFAULT_LADDER
 */
export function parseLadder(text: string): Rung[] | undefined {
  const parts = text.split(",").map((p) => p.trim().toLowerCase()).filter(Boolean);
  if (parts.length === 0 || parts.length > 6) return undefined;
  const rungs: Rung[] = [];
  for (const part of parts) {
    const days = /^(\d{1,2})d@(\d{1,2}:\d{2})$/.exec(part);
    const span = /^(\d{1,4})([hm])$/.exec(part);
    if (days && HHMM.test(days[2]!) && Number(days[1]) <= 30) rungs.push({ daysBefore: Number(days[1]), at: pad(days[2]!) });
    else if (span && Number(span[1]) > 0 && Number(span[1]) * (span[2] === "h" ? 60 : 1) <= 7 * 1440) rungs.push({ minutesBefore: Number(span[1]) * (span[2] === "h" ? 60 : 1) });
    else return undefined;
  }
  return new Set(rungs.map(rungId)).size === rungs.length ? rungs : undefined;
}

/** The typed form of a ladder: "3d@19:00,1d@19:00,2h". */
export function formatLadder(ladder: readonly Rung[]): string {
  return ladder.map((r) => ("daysBefore" in r ? `${r.daysBefore}d@${r.at}` : r.minutesBefore % 60 === 0 ? `${r.minutesBefore / 60}h` : `${r.minutesBefore}m`)).join(",");
}

/**
 * Reads a school's nightly window typed as "21:00-06:30" (minutes after midnight); undefined
 * when malformed or empty (start = end).
 *
 * @example parseQuietWindow("22:00 - 7:00") // → { start: 1320, end: 420, sundays: false }
 */
export function parseQuietWindow(text: string): SchoolNight | undefined {
  const m = /^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/.exec(text);
  if (!m || !HHMM.test(m[1]!) || !HHMM.test(m[2]!)) return undefined;
  const start = minutesOf(m[1]!), end = minutesOf(m[2]!);
  return start === end ? undefined : { start, end, sundays: false };
}
