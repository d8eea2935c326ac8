/**
 * The admin CLI's `year rollover`: shows the preview (every class move, every leaving pupil,
 * the proposed calendar) and, with --apply, applies it once. Calendar flags override the
 * proposal from the year table; --naming and --final-grade store the school's rule first.
 */
import { CalendarInputError, formatHolidays, formatSchoolDays, parseHolidays, parseSchoolDays } from "../../domain/concern-calendar.js";
import { formatLadder, parseLadder, parseQuietWindow } from "../../domain/meeting-reminders.js";
import { hhmm } from "../../domain/quiet-hours.js";
import { isNamingRule } from "../../domain/year-rollover.js";
import { applyRollover, previewRollover, type CalendarChoice, type RolloverDeps, type RolloverPlan } from "./rollover.js";

export interface RolloverCommand {
  school: string;
  to?: string;
  apply?: boolean;
  naming?: string;
  finalGrade?: string;
  days?: string;
  holiday?: string[];
  quiet?: string;
  ladder?: string;
  start?: string;
  end?: string;
}

/** The calendar changes the flags ask for (bad input throws CalendarInputError with an example). */
export function calendarFlags(o: Omit<RolloverCommand, "school">): Partial<CalendarChoice> {
  const c: Partial<CalendarChoice> = {};
  if (o.days !== undefined) c.schoolDays = parseSchoolDays(o.days);
  if (o.holiday !== undefined) c.holidays = parseHolidays(o.holiday);
  if (o.quiet !== undefined) {
    const q = parseQuietWindow(o.quiet);
    if (!q) throw new CalendarInputError("--quiet is like 21:00-06:30");
    c.quiet = { start: q.start, end: q.end };
  }
  if (o.ladder !== undefined) {
    const l = parseLadder(o.ladder);
    if (!l) throw new CalendarInputError('--ladder is like "3d@19:00,1d@19:00,2h"');
    c.ladder = l;
  }
  for (const [flag, v] of [["start", o.start], ["end", o.end]] as const) {
    if (v === undefined) continue;
    if (parseHolidays([v]).length !== 1) throw new CalendarInputError(`--${flag}: a date like 2027-09-05`);
    c[flag === "start" ? "startsOn" : "endsOn"] = v;
  }
  return c;
}

/** The plan as lines a person reads. */
export function planLines(p: RolloverPlan): string[] {
  const c = p.calendar;
  return [
    `rollover ${p.from.name} → ${p.to.name} (naming "${p.naming}", final grade ${p.finalGrade})`,
    ...p.moves.map((m) => `class ${m.fromName} → ${m.toName} (${m.studentIds.length} pupil(s))`),
    ...p.leavers.map((l) => `leaves: ${l.className} ${l.name}`),
    ...p.skipped.map((s) => `not moved (no grade in the name): ${s.name}`),
    ...p.conflicts.map((n) => `CONFLICT: two classes would become ${n} (change --naming)`),
    `homeroom assignments cleared: ${p.homerooms}; board seats ended: ${p.boardSeats}`,
    `calendar: ${c.startsOn} to ${c.endsOn}, days ${formatSchoolDays(c.schoolDays)}, quiet ${hhmm(c.quiet.start)}-${hhmm(c.quiet.end)}, ladder ${formatLadder(c.ladder)}`,
    `holidays: ${formatHolidays(c.holidays).join(", ") || "none"}${p.tetKnown ? "" : " (Tết of this year is not in the year table: add it with --holiday)"}`,
  ];
}

/** Runs `year rollover`; returns the exit code. */
export async function rolloverCommand(deps: RolloverDeps, o: RolloverCommand, out: (line: string) => void): Promise<number> {
  if (o.naming !== undefined && !isNamingRule(o.naming)) throw new CalendarInputError('--naming is a template with {grade}, e.g. "{grade}{suffix}" (6A1 → 7A1) or "{grade}/{n}" (6A1 → 7/1)');
  const finalGrade = o.finalGrade === undefined ? undefined : Number(o.finalGrade);
  if (finalGrade !== undefined && !(Number.isInteger(finalGrade) && finalGrade >= 0 && finalGrade <= 12)) throw new CalendarInputError("--final-grade: 5, 9 or 12 (0: by the school's level)");
  if (o.naming !== undefined || finalGrade !== undefined) await deps.settings.set(o.school, { ...(o.naming ? { classNaming: o.naming } : {}), ...(finalGrade !== undefined ? { finalGrade } : {}) });
  const calendar = calendarFlags(o);
  const input = { ...(o.to ? { toYearName: o.to } : {}), calendar };
  const plan = await previewRollover(deps, o.school, input);
  if ("error" in plan && plan.error === "already") return out(`already rolled over to ${plan.toYearName} (${plan.at.toISOString()}, by ${plan.actor || "?"}): nothing changed`), 0;
  if ("error" in plan) return out(`cannot roll over: ${plan.error}`), 1;
  for (const line of planLines(plan)) out(line);
  if (!o.apply) return out("preview only: add --apply to carry it out"), 0;
  const r = await applyRollover(deps, o.school, { ...input, toYearName: plan.to.name, actor: "cli", fingerprint: plan.fingerprint });
  if ("error" in r) return out(`cannot roll over: ${r.error}`), 1;
  if (r.status === "applied") return out(`applied: ${plan.to.name} is the current year; ${r.messages} guardian message(s) queued`), 0;
  if (r.status === "already") return out(`already rolled over to ${r.toYearName} (${r.at.toISOString()}, by ${r.actor || "?"}): nothing changed`), 0;
  const why = { changed: "the records changed while previewing; run it again", conflict: "two classes would get the same name (see CONFLICT above)",
    "too-early": "the new year starts in more than 120 days" } as const;
  return out(`not applied: ${why[r.status]}`), 1;
}
