/**
 * What every concern use case needs: its dependencies, a ticket as stored, who handles it, the
 * calendar its clocks run on, who may see it, and when a message to somebody may go.
 */
import type { Clock, OutboxItem } from "../../engine/ports.js";
import type { Models } from "../../store/models.js";
import type { ConcernModels } from "../../store/concern-models.js";
import { addressesOf } from "../../store/audience.js";
import { schoolQuietHours } from "../../store/school-calendar.js";
import { DEFAULT_TIME_ZONE, schoolTimeZone } from "../../store/school-zone.js";
import { designatedIdentity, readCalendar, yearNameOfClass } from "../../store/concern-calendar.js";
import { leadsSchool, teachesClass } from "../../domain/roles.js";
import { isOpen, routeFor, type ConcernCategory, type ConcernStatus } from "../../domain/concern.js";
import { DEFAULT_CALENDAR, type SchoolCalendar } from "../../domain/school-clock.js";
import { holdUntil, type QuietHours } from "../../domain/quiet-hours.js";
import type { ConcernActor, ConcernClockScheduler, ConcernSummary, ConcernViewer } from "./port.js";

export interface ConcernDeps {
  models: Models;
  concerns: ConcernModels;
  outbox: { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> };
  scheduler: ConcernClockScheduler;
  clock: Clock;
  /** The deployment's zone (`SCHOOL_TIME_ZONE`), for schools that set none of their own. */
  timeZone?: string;
  logger?: { info(obj: object, msg: string): void };
}

export interface CalendarSettings {
  calendar: SchoolCalendar;
  firstResponseHours: number;
  resolutionDays: number;
}

/** A ticket document: who and what (never changes) plus the summary of its facts. */
export type Ticket = {
  _id: string; schoolId: string; seq: number; number: string; eventId: string; studentId: string; classGroupId: string;
  guardianIdentityId: string; yearName?: string | null; category: string; urgent: boolean; status: string; escalations: number; cycle: number;
  firstResponseDueAt?: Date | null; resolutionDueAt?: Date | null; deliverAt?: Date | null; firstResponseAt?: Date | null;
  resolvedAt?: Date | null; confirmedAt?: Date | null; rating: number; reopens: number; createdAt: Date; updatedAt: Date;
  awaitsTeacher?: boolean; awaitsPrincipal?: boolean; version?: number;
};

/** The deployment's zone, for a school that sets none; a school's clocks run in `zoneOf` its own. */
export const tzOf = (deps: ConcernDeps) => deps.timeZone ?? DEFAULT_TIME_ZONE;
/** The school's time zone (`School.timeZone`, else the deployment's): its working hours, nights and messages' dates. */
export const zoneOf = (deps: Pick<ConcernDeps, "models" | "timeZone">, schoolId: string) => schoolTimeZone(deps.models, schoolId, deps.timeZone);
export const safeKey = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "_");
export const log = (deps: ConcernDeps, obj: object, msg: string) => deps.logger?.info(obj, msg);

export async function loadTicket(deps: ConcernDeps, id: string): Promise<Ticket | null> {
  return (await deps.concerns.Concern.findById(id).lean()) as Ticket | null;
}

/** A ticket's year: stored when raised, else that of its class (tickets raised before years were kept). */
export async function yearOf(deps: ConcernDeps, t: Pick<Ticket, "classGroupId" | "yearName">): Promise<string> {
  return t.yearName || (await yearNameOfClass(deps.models, t.classGroupId));
}

/** The calendar of a school year ("" = the school-wide one, or the defaults), in the school's zone. */
export async function settingsOf(deps: ConcernDeps, schoolId: string, yearName = ""): Promise<CalendarSettings> {
  const tz = await zoneOf(deps, schoolId);
  const { calendar: c, source } = await readCalendar(deps.concerns, schoolId, yearName);
  if (source === "default") return { calendar: { ...DEFAULT_CALENDAR, timeZone: tz }, firstResponseHours: 8, resolutionDays: 3 };
  return {
    calendar: { timeZone: tz, schoolDays: c.schoolDays, dayStart: c.dayStart, dayEnd: c.dayEnd, holidays: c.holidays,
      quiet: { start: c.quietStart, end: c.quietEnd, sundays: c.quietSundays } },
    firstResponseHours: c.firstResponseHours, resolutionDays: c.resolutionDays,
  };
}

export async function settingsFor(deps: ConcernDeps, t: Pick<Ticket, "schoolId" | "classGroupId" | "yearName">): Promise<CalendarSettings> {
  return settingsOf(deps, t.schoolId, await yearOf(deps, t));
}

export async function homeroomTeachers(deps: ConcernDeps, classGroupId: string): Promise<string[]> {
  return (await deps.models.StaffRole.find({ role: "homeroom-teacher", classGroupId }).lean()).map((r) => r.identityId);
}

/** Ban giám hiệu for a ticket: the vice-principal the year's calendar designates (when linked), else the principal(s). */
export async function principals(deps: ConcernDeps, schoolId: string, yearName = ""): Promise<string[]> {
  const designated = await designatedIdentity(deps.models, schoolId, (await readCalendar(deps.concerns, schoolId, yearName)).calendar);
  if (designated) return [designated];
  const p = await deps.models.StaffRole.find({ schoolId, role: "principal" }).lean();
  const list = p.length > 0 ? p : await deps.models.StaffRole.find({ schoolId, role: "vice-principal" }).lean();
  return [...new Set(list.map((r) => r.identityId))];
}

/** The reachable homeroom teachers of a ticket's class. */
export async function reachableTeachers(deps: ConcernDeps, t: Pick<Ticket, "classGroupId">): Promise<string[]> {
  return (await addressesOf(deps.models, await homeroomTeachers(deps, t.classGroupId))).map((p) => p.identityId);
}

export async function studentAndClass(deps: ConcernDeps, t: Pick<Ticket, "studentId" | "classGroupId">) {
  const [s, c] = await Promise.all([deps.models.Student.findById(t.studentId).lean(), deps.models.ClassGroup.findById(t.classGroupId).lean()]);
  return { studentName: s?.fullName ?? "", className: c?.name ?? "" };
}

/** The principal sees urgent, about-a-teacher and escalated tickets; the rest only as figures. */
const principalMaySee = (t: Ticket) => t.urgent || t.category === "teacher" || t.escalations > 0 || t.status === "escalated";

export function viewerOf(actor: ConcernActor, t: Ticket): ConcernViewer | undefined {
  if (t.guardianIdentityId === actor.identityId) return "guardian";
  if (t.category !== "teacher" && teachesClass(actor.roles, t.classGroupId)) return "teacher";
  if (leadsSchool(actor.roles, t.schoolId) && principalMaySee(t)) return "principal";
  return undefined;
}

/** Loads a ticket the actor may act on, in a role among `roles`. */
export async function forActor(deps: ConcernDeps, actor: ConcernActor, id: string, roles: ConcernViewer[]) {
  const t = await loadTicket(deps, id);
  const viewer = t ? viewerOf(actor, t) : undefined;
  return t && viewer && roles.includes(viewer) ? { t, viewer } : { t: undefined, viewer: undefined };
}

export async function summaryOf(deps: ConcernDeps, t: Ticket): Promise<ConcernSummary> {
  return {
    id: t._id, number: t.number, category: t.category as ConcernCategory, status: t.status as ConcernStatus, urgent: t.urgent,
    ...(await studentAndClass(deps, t)), createdAt: new Date(t.createdAt),
    ...(isOpen(t.status as ConcernStatus) ? { dueAt: new Date((t.firstResponseAt ? t.resolutionDueAt : t.firstResponseDueAt) ?? t.createdAt) } : {}),
  };
}

/** Who handles a ticket now: its homeroom teachers (unless escalated), Ban giám hiệu (when routed there or escalated). */
export async function handlersOf(deps: ConcernDeps, t: Ticket) {
  const route = routeFor(t.category as ConcernCategory);
  const teachers = route.teacher && t.status !== "escalated" ? await homeroomTeachers(deps, t.classGroupId) : [];
  const heads = route.principal || t.status === "escalated" || t.escalations > 0 ? await principals(deps, t.schoolId, await yearOf(deps, t)) : [];
  return { teachers, heads };
}

/** Staff members' quiet hours for concerns addressed to them: their own, else the school's default for staff. */
export async function staffQuiet(deps: ConcernDeps, identityIds: string[], fallback: QuietHours): Promise<Map<string, QuietHours>> {
  const quiet = new Map<string, QuietHours>(identityIds.map((id) => [id, fallback]));
  if (identityIds.length === 0) return quiet;
  for (const d of await deps.concerns.StaffQuietHours.find({ _id: { $in: identityIds } }).lean()) quiet.set(d._id, { start: d.start, end: d.end, sundays: d.sundays });
  return quiet;
}

/**
 * When a message about a ticket may reach each recipient: urgent tickets (safety, bullying) at
 * once; otherwise staff after their own quiet hours (else the school's staff default, which
 * keeps Sundays quiet), and the guardian after the school's nightly window (`schoolQuietHours`);
 * all in the school's zone, which the message's dates show in too.
 */
export async function sendTimes(deps: ConcernDeps, t: Ticket, to: "staff" | "guardian", identityIds: string[]): Promise<(identityId: string) => { notBefore?: Date; timeZone: string }> {
  const now = deps.clock.now(), tz = await zoneOf(deps, t.schoolId);
  if (t.urgent) return () => ({ timeZone: tz });
  if (to === "guardian") {
    const night = await schoolQuietHours(deps.models, t.schoolId, await yearOf(deps, t));
    return () => ({ ...holdUntil(now, night, tz), timeZone: tz });
  }
  const quiet = await staffQuiet(deps, identityIds, (await settingsFor(deps, t)).calendar.quiet);
  return (identityId) => ({ ...holdUntil(now, quiet.get(identityId)!, tz), timeZone: tz });
}
