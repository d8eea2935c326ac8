/**
 * The year rollover, with a preview: classes move up a grade by the school's naming rule (into
 * classes of the new year, so last year's concerns, meetings and reports keep their classes),
 * pupils of the final grade leave (marked left, never deleted), guardian links stay (they point
 * at pupils), homeroom assignments of last year's classes are cleared for reassignment, boards
 * end (Circular 55: a one-year term), the new year's calendar is set (school days, holidays
 * with Tết, quiet hours, reminder ladder), last year is archived, and every guardian gets one
 * message (through the outbox) saying what changed for their children.
 *
 * Applying is decided once per school and target year by a unique fact
 * (`rollover:<schoolId>#<year>`, data = the plan): two admins pressing "apply" make one
 * rollover. The winner carries out the stored plan; every step is idempotent (deterministic ids,
 * guarded updates, outbox keys), so a plan whose winner died half-way is finished by the next
 * attempt once it is older than RESUME_AFTER_MS.
 */
import { createHash } from "node:crypto";
import type { Clock, Outbox } from "../../engine/ports.js";
import { say } from "../../engine/say.js";
import { parseHolidays } from "../../domain/concern-calendar.js";
import { DEFAULT_LADDER, type Rung } from "../../domain/meeting-reminders.js";
import { holdUntil, type QuietHours } from "../../domain/quiet-hours.js";
import { compareVietnameseNames } from "../../domain/text.js";
import { finalGradeOf, nextClassName, nextYearName } from "../../domain/year-rollover.js";
import { decideOnce, decideTransition, type TransitionFact } from "../../store/facts.js";
import { householdsOf } from "../../store/audience.js";
import { isDuplicateKey, type Models } from "../../store/models.js";
import type { MeetingModels } from "../../store/meeting-models.js";
import { meetingLadderOf, setMeetingLadder } from "../../store/meeting-settings.js";
import { schoolQuietHours } from "../../store/school-calendar.js";
import { schoolTimeZone } from "../../store/school-zone.js";
import type { SchoolSettingsRepo } from "../../store/school-settings.js";
import { yearTemplate } from "./year-table.js";

export const RESUME_AFTER_MS = 5 * 60_000;
/** A rollover is applied at most this long before the new year's first day. */
export const EARLIEST_DAYS_BEFORE = 120;

export interface RolloverDeps {
  models: Models;
  settings: SchoolSettingsRepo;
  meetings: Pick<MeetingModels, "MeetingSettings">;
  outbox: Pick<Outbox, "enqueue">;
  clock: Clock;
  /** The deployment's zone (`SCHOOL_TIME_ZONE`), for schools that set none of their own. */
  timeZone: string;
}

/** The new year's calendar: proposed from the year table and the school's settings, editable. */
export interface CalendarChoice {
  startsOn: string;
  endsOn: string;
  schoolDays: number[];
  /** "YYYY-MM-DD" dates. */
  holidays: string[];
  quiet: { start: number; end: number };
  ladder: Rung[];
}

export interface ClassMove { fromId: string; fromName: string; toId: string; toName: string; grade: number; studentIds: string[] }
export interface Leaver { studentId: string; name: string; className: string }

export interface RolloverPlan {
  schoolId: string;
  from: { id: string; name: string };
  to: { id: string; name: string; exists: boolean };
  naming: string;
  finalGrade: number;
  moves: ClassMove[];
  leavers: Leaver[];
  /** Classes whose names carry no grade ("Lá 1"): not moved, for the office to handle. */
  skipped: { id: string; name: string }[];
  /** New names that two classes would share (the naming rule needs a look). */
  conflicts: string[];
  homerooms: number;
  boardSeats: number;
  calendar: CalendarChoice;
  /** False when the year table has no row (no Tết) for the new year. */
  tetKnown: boolean;
  /** Changes when anything the preview shows changes: "apply" refuses a stale preview. */
  fingerprint: string;
}

export type RolloverError = { error: "no-school" | "no-year" | "bad-year" } | { error: "already"; at: Date; actor: string; toYearName: string };

const stableId = (...parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 24);
const entity = (schoolId: string) => `rollover:${schoolId}`;

/** The year a rollover targets by default: the one after the school's latest open year. */
export async function latestOpenYear(models: Models, schoolId: string, before?: string) {
  const years = await models.SchoolYear.find({ schoolId, archived: { $ne: true } }).lean();
  return years.filter((y) => !before || y.name < before).sort((a, b) => a.name.localeCompare(b.name)).at(-1);
}

/** The proposal for the new year's calendar: the year table, then the school's current settings. */
export async function proposedCalendar(deps: RolloverDeps, schoolId: string, fromYear: string, toYear: string): Promise<{ calendar: CalendarChoice; tetKnown: boolean }> {
  const t = yearTemplate(toYear);
  const current = (await deps.models.SchoolCalendar.findById(`${schoolId}#${fromYear}`).lean()) ?? (await deps.models.SchoolCalendar.findById(schoolId).lean());
  const quiet = await schoolQuietHours(deps.models, schoolId, fromYear);
  return {
    tetKnown: t.known,
    calendar: {
      startsOn: t.startsOn, endsOn: t.endsOn, schoolDays: current?.schoolDays ?? [1, 2, 3, 4, 5], holidays: parseHolidays(t.holidays),
      quiet: { start: quiet.start, end: quiet.end }, ladder: [...(await meetingLadderOf(deps.meetings, schoolId, DEFAULT_LADDER))],
    },
  };
}

/** The class moves, leavers and skipped classes of a year (pure of writes). */
async function movesOf(deps: RolloverDeps, schoolId: string, fromYearId: string, toYearId: string, naming: string, finalGrade: number) {
  const classes = (await deps.models.ClassGroup.find({ schoolId, yearId: fromYearId }).lean()).sort((a, b) => a.grade - b.grade || a.name.localeCompare(b.name, "vi"));
  const pupils = (await deps.models.Student.find({ classGroupId: { $in: classes.map((c) => c._id) }, leftAt: null }).lean()).sort((a, b) => compareVietnameseNames(a.fullName, b.fullName));
  const existing = new Map((await deps.models.ClassGroup.find({ yearId: toYearId }).lean()).map((c) => [c.name, c._id]));
  const moves: ClassMove[] = [], leavers: Leaver[] = [], skipped: { id: string; name: string }[] = [];
  for (const c of classes) {
    const mine = pupils.filter((p) => p.classGroupId === c._id);
    if (c.grade >= finalGrade) { leavers.push(...mine.map((p) => ({ studentId: p._id, name: p.fullName, className: c.name }))); continue; }
    const toName = nextClassName(c.name, naming);
    if (!toName || c.grade === 0) { skipped.push({ id: c._id, name: c.name }); continue; }
    moves.push({ fromId: c._id, fromName: c.name, toId: existing.get(toName) ?? stableId("class", toYearId, toName), toName, grade: c.grade + 1, studentIds: mine.map((p) => p._id) });
  }
  const names = moves.map((m) => m.toName);
  return { classes, moves, leavers, skipped, conflicts: [...new Set(names.filter((n, i) => names.indexOf(n) !== i))] };
}

/**
 * What a rollover to `toYearName` (default: the year after the latest open one) would do,
 * with the calendar proposed from the year table unless `calendar` overrides parts of it.
 */
export async function previewRollover(deps: RolloverDeps, schoolId: string, opts: { toYearName?: string; calendar?: Partial<CalendarChoice> } = {}): Promise<RolloverPlan | RolloverError> {
  if (!(await deps.models.School.exists({ _id: schoolId }))) return { error: "no-school" };
  const toName = opts.toYearName?.trim() || nextYearName((await latestOpenYear(deps.models, schoolId))?.name ?? "");
  if (!toName || !nextYearName(toName)) return { error: "bad-year" };
  const decided = await decidedRollover(deps.models, schoolId, toName);
  if (decided) return { error: "already", at: new Date(decided.at), actor: decided.actor, toYearName: toName };
  const from = await latestOpenYear(deps.models, schoolId, toName);
  if (!from) return { error: "no-year" };
  const toYear = await deps.models.SchoolYear.findOne({ schoolId, name: toName }).lean();
  const to = { id: toYear?._id ?? stableId("year", schoolId, toName), name: toName, exists: Boolean(toYear) };
  const settings = await deps.settings.get(schoolId);
  const grades = (await deps.models.ClassGroup.find({ schoolId, yearId: from._id }).lean()).map((c) => c.grade);
  const finalGrade = settings.finalGrade || finalGradeOf(grades);
  const m = await movesOf(deps, schoolId, from._id, to.id, settings.classNaming, finalGrade);
  const oldIds = m.classes.map((c) => c._id);
  const proposal = await proposedCalendar(deps, schoolId, from.name, toName);
  const calendar = { ...proposal.calendar, ...opts.calendar };
  const homerooms = await deps.models.StaffRole.countDocuments({ schoolId, role: "homeroom-teacher", classGroupId: { $in: oldIds } });
  const boardSeats = await deps.models.BoardMembership.countDocuments(boardFilter(schoolId, oldIds));
  const fingerprint = stableId(JSON.stringify([m.moves, m.leavers, m.skipped, calendar, settings]));
  return { schoolId, from: { id: from._id, name: from.name }, to, naming: settings.classNaming, finalGrade, moves: m.moves, leavers: m.leavers, skipped: m.skipped,
    conflicts: m.conflicts, homerooms, boardSeats, calendar, tetKnown: proposal.tetKnown, fingerprint };
}

/** The rollover already decided for a school and year, if any. */
export async function decidedRollover(models: Models, schoolId: string, toYearName: string): Promise<TransitionFact | undefined> {
  return ((await models.Transition.findById(`${entity(schoolId)}#${toYearName}`).lean()) as TransitionFact | null) ?? undefined;
}

export type ApplyResult =
  | { status: "applied"; plan: RolloverPlan; messages: number }
  | { status: "already"; at: Date; actor: string; toYearName: string }
  | { status: "changed" | "conflict" | "too-early"; plan: RolloverPlan }
  | RolloverError;

/**
 * Applies the rollover to `toYearName` once. "already" when it was decided before (by anyone);
 * "changed" when `fingerprint` (from the preview the person saw) no longer matches.
 */
export async function applyRollover(deps: RolloverDeps, schoolId: string, input: { toYearName?: string; calendar?: Partial<CalendarChoice>; actor: string; fingerprint?: string }): Promise<ApplyResult> {
  const now = deps.clock.now();
  const known = input.toYearName ? await decidedRollover(deps.models, schoolId, input.toYearName) : undefined;
  if (known) return alreadyDecided(deps, known);
  const plan = await previewRollover(deps, schoolId, input);
  if ("error" in plan && plan.error === "already" && input.toYearName) return alreadyDecided(deps, (await decidedRollover(deps.models, schoolId, input.toYearName))!);
  if ("error" in plan) return plan;
  const earlier = await decidedRollover(deps.models, schoolId, plan.to.name);
  if (earlier) return alreadyDecided(deps, earlier);
  if (plan.conflicts.length > 0) return { status: "conflict", plan };
  if (input.fingerprint && input.fingerprint !== plan.fingerprint) return { status: "changed", plan };
  if (Date.parse(plan.calendar.startsOn) - now.getTime() > EARLIEST_DAYS_BEFORE * 86_400_000) return { status: "too-early", plan };
  const d = await decideTransition(deps.models, { entity: entity(schoolId), slot: plan.to.name, kind: "rollover", actor: input.actor, at: now, data: plan });
  if (!d.won) return alreadyDecided(deps, d.fact);
  const messages = await carryOut(deps, plan);
  return { status: "applied", plan, messages };
}

/** The answer to a second attempt; finishes a plan whose winner stopped half-way long ago. */
async function alreadyDecided(deps: RolloverDeps, fact: TransitionFact): Promise<ApplyResult> {
  const plan = JSON.parse(fact.data) as RolloverPlan;
  const done = await deps.models.Transition.exists({ _id: `${fact._id}-done` });
  if (!done && deps.clock.now().getTime() - new Date(fact.at).getTime() > RESUME_AFTER_MS) await carryOut(deps, plan);
  return { status: "already", at: new Date(fact.at), actor: fact.actor, toYearName: plan.to.name };
}

/** Carries out a decided plan; each step is idempotent. Returns how many messages were enqueued. */
async function carryOut(deps: RolloverDeps, plan: RolloverPlan): Promise<number> {
  const { models } = deps, now = deps.clock.now();
  const toYearId = await ensureYear(models, plan);
  for (const m of plan.moves) {
    await insertOnce(() => models.ClassGroup.create({ _id: m.toId, schoolId: plan.schoolId, yearId: toYearId, name: m.toName, grade: m.grade }));
    await models.Student.updateMany({ _id: { $in: m.studentIds }, classGroupId: m.fromId, leftAt: null }, { $set: { classGroupId: m.toId } });
  }
  await models.Student.updateMany({ _id: { $in: plan.leavers.map((l) => l.studentId) }, leftAt: null }, { $set: { leftAt: now } });
  const oldIds = await oldClassIds(models, plan);
  const homerooms = await clearHomerooms(models, plan.schoolId, oldIds);
  const boardSeats = await endBoards(models, plan.schoolId, oldIds);
  await revokeYearCodes(models, plan.schoolId, oldIds);
  await setYearCalendar(deps, plan);
  await models.SchoolYear.updateOne({ _id: plan.from.id }, { $set: { archived: true } });
  const messages = await tellGuardians(deps, plan);
  await models.AuditLog.create({ actor: "rollover", action: "year-rollover", subject: plan.schoolId,
    details: { from: plan.from.name, to: plan.to.name, classes: plan.moves.length, leavers: plan.leavers.length, homerooms, boardSeats, messages } });
  await decideOnce(models.Transition, { _id: `${entity(plan.schoolId)}#${plan.to.name}-done`, entity: entity(plan.schoolId), kind: "rollover-done", actor: "", at: now, data: "{}" });
  return messages;
}

const insertOnce = async (insert: () => Promise<unknown>) => {
  try {
    await insert();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
};

async function ensureYear(models: Models, plan: RolloverPlan): Promise<string> {
  const existing = await models.SchoolYear.findOne({ schoolId: plan.schoolId, name: plan.to.name }).lean();
  const id = existing?._id ?? plan.to.id;
  if (!existing) await insertOnce(() => models.SchoolYear.create({ _id: id, schoolId: plan.schoolId, name: plan.to.name }));
  await models.SchoolYear.updateOne({ _id: id }, { $set: { startsOn: new Date(plan.calendar.startsOn), endsOn: new Date(plan.calendar.endsOn), archived: false } });
  return id;
}

const oldClassIds = async (models: Models, plan: RolloverPlan) => (await models.ClassGroup.find({ schoolId: plan.schoolId, yearId: plan.from.id }).lean()).map((c) => c._id);

const boardFilter = (schoolId: string, oldClassIds: string[]) => ({ schoolId, $or: [{ scope: "school" }, { scope: "class", classGroupId: { $in: oldClassIds } }] });

/**
 * Clears the homeroom assignments of last year's classes (the new classes get theirs from the
 * office). Kept as one small call so the staff model (assignments per year) can replace it.
 */
export async function clearHomerooms(models: Models, schoolId: string, oldClassIds: string[]): Promise<number> {
  return (await models.StaffRole.deleteMany({ schoolId, role: "homeroom-teacher", classGroupId: { $in: oldClassIds } })).deletedCount ?? 0;
}

/**
 * Ends the boards of the year (class boards of last year's classes and the school board):
 * their seats and rights go; the audit log keeps the count. One small call, so boards tied to
 * a school year can replace it with "close the year's boards".
 */
export async function endBoards(models: Models, schoolId: string, oldClassIds: string[]): Promise<number> {
  return (await models.BoardMembership.deleteMany(boardFilter(schoolId, oldClassIds))).deletedCount ?? 0;
}

/** Unused homeroom and board codes of last year's classes (and school-board codes) stop working: those seats ended. */
export async function revokeYearCodes(models: Models, schoolId: string, oldClassIds: string[]): Promise<void> {
  await models.InviteCode.updateMany({ schoolId, revoked: false, $or: [
    { "grant.kind": "staff", "grant.role": "homeroom-teacher", "grant.classGroupId": { $in: oldClassIds } },
    { "grant.kind": "board" },
  ] }, { $set: { revoked: true } });
}

/** The new year's calendar document (copying last year's other settings) and the reminder ladder. */
async function setYearCalendar(deps: RolloverDeps, plan: RolloverPlan): Promise<void> {
  const old = (await deps.models.SchoolCalendar.findById(`${plan.schoolId}#${plan.from.name}`).lean()) ?? (await deps.models.SchoolCalendar.findById(plan.schoolId).lean());
  const { _id: _old, ...rest } = (old ?? {}) as Record<string, unknown>;
  const c = plan.calendar;
  await deps.models.SchoolCalendar.updateOne({ _id: `${plan.schoolId}#${plan.to.name}` },
    { $set: { ...rest, yearName: plan.to.name, schoolDays: c.schoolDays, holidays: c.holidays, quietStart: c.quiet.start, quietEnd: c.quiet.end } }, { upsert: true })
    .catch((err: unknown) => { if (!isDuplicateKey(err)) throw err; });
  await setMeetingLadder(deps.meetings, plan.schoolId, c.ladder);
}

/** One message per guardian, naming each of their children's new class or leaving. */
async function tellGuardians(deps: RolloverDeps, plan: RolloverPlan): Promise<number> {
  const newName = new Map(plan.moves.flatMap((m) => m.studentIds.map((id) => [id, m.toName] as const)));
  const leaving = new Set(plan.leavers.map((l) => l.studentId));
  const households = await householdsOf(deps.models, [...newName.keys(), ...leaving]);
  const byGuardian = new Map<string, { address: (typeof households)[number]["guardians"][number]["address"]; moved: string[]; left: string[] }>();
  for (const h of households) for (const g of h.guardians) {
    const entry = byGuardian.get(g.identityId) ?? { address: g.address, moved: [], left: [] };
    if (leaving.has(h.studentId)) entry.left.push(h.studentName);
    else entry.moved.push(`${h.studentName} (${newName.get(h.studentId)})`);
    byGuardian.set(g.identityId, entry);
  }
  const quiet: QuietHours = { start: plan.calendar.quiet.start, end: plan.calendar.quiet.end, sundays: false };
  const timeZone = await schoolTimeZone(deps.models, plan.schoolId, deps.timeZone);
  const hold = holdUntil(deps.clock.now(), quiet, timeZone);
  const items = [...byGuardian].map(([identityId, g]) => ({
    key: `roll-${stableId(plan.schoolId, plan.to.name, identityId)}`, recipient: g.address, ...hold, timeZone,
    messages: [say("rollover-guardian-notice", {
      year: plan.to.name, start: { date: new Date(plan.calendar.startsOn).toISOString(), style: "date" as const },
      kind: g.moved.length && g.left.length ? "both" : g.left.length ? "left" : "moved", moved: g.moved.join(", "), left: g.left.join(", "),
    })],
  }));
  if (items.length > 0) await deps.outbox.enqueue(items);
  return items.length;
}
