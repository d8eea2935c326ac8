/**
 * The first-response and resolution clocks: due instants in school hours (paused in the quiet
 * hours of whoever answers), delayed jobs `(ticket, kind, cycle)` with deterministic ids, the
 * clock's run (an escalation decided like any other change), and `reconcileClocks`, which
 * rebuilds every open ticket's jobs from MongoDB after Redis lost them.
 */
import { addSchoolDays, addSchoolHours, quietEnds, type QuietHours, type SchoolCalendar } from "../../domain/school-clock.js";
import { routeFor, type ConcernCategory } from "../../domain/concern.js";
import { addressesOf } from "../../store/audience.js";
import { homeroomTeachers, log, principals, settingsFor, staffQuiet, yearOf, type ConcernDeps, type Ticket } from "./context.js";
import { escalateBy } from "./escalate.js";
import { project, readFacts } from "./transition.js";
import { foldTicket, type TicketState } from "./ticket-state.js";
import type { ConcernClockJob } from "./port.js";

type Routed = Pick<Ticket, "schoolId" | "classGroupId" | "category" | "yearName">;

/** The quiet hours of whoever answers first (the reachable homeroom teacher, else Ban giám hiệu). */
export async function handlerQuiet(deps: ConcernDeps, t: Routed, calendar: SchoolCalendar): Promise<QuietHours> {
  const route = routeFor(t.category as ConcernCategory);
  const reach = async (ids: string[]) => (await addressesOf(deps.models, ids)).map((p) => p.identityId);
  const teachers = route.teacher ? await reach(await homeroomTeachers(deps, t.classGroupId)) : [];
  const handlers = teachers.length > 0 ? teachers : await reach(await principals(deps, t.schoolId, await yearOf(deps, t)));
  const now = deps.clock.now(), tz = calendar.timeZone;
  // Several teachers of one class: the one who can read it first sets the promise.
  let best: QuietHours = calendar.quiet, bestAt: number | undefined;
  for (const q of (await staffQuiet(deps, handlers, calendar.quiet)).values()) {
    const at = quietEnds(q, now, tz).getTime();
    if (bestAt === undefined || at < bestAt) [best, bestAt] = [q, at];
  }
  return best;
}

/** When the clocks of a cycle starting at `from` run out. */
export async function clockDues(deps: ConcernDeps, t: Routed, from: Date): Promise<{ firstResponseDueAt: Date; resolutionDueAt: Date }> {
  const s = await settingsFor(deps, t);
  const calendar = { ...s.calendar, quiet: await handlerQuiet(deps, t, s.calendar) };
  return { firstResponseDueAt: addSchoolHours(calendar, from, s.firstResponseHours), resolutionDueAt: addSchoolDays(calendar, from, s.resolutionDays) };
}

/** The clock jobs an open ticket in `state` needs: first response (first cycle) until answered or escalated, resolution until resolved or escalated. */
export function clocksNeeded(t: Pick<Ticket, "_id">, s: TicketState): { job: ConcernClockJob; at: Date }[] {
  if (s.status === "resolved" || s.version === 0) return [];
  const jobs: { job: ConcernClockJob; at: Date }[] = [];
  if (s.cycle === 1 && !s.firstResponseAt && !s.escalatedThisCycle && s.firstResponseDueAt) jobs.push({ job: { concernId: t._id, kind: "first-response", cycle: s.cycle }, at: s.firstResponseDueAt });
  if (!s.escalatedThisCycle && s.resolutionDueAt) jobs.push({ job: { concernId: t._id, kind: "resolution", cycle: s.cycle }, at: s.resolutionDueAt });
  return jobs;
}

/** Schedules the clock jobs of `state`; returns how many were created (existing ones are left alone). */
export async function scheduleClocks(deps: ConcernDeps, t: Pick<Ticket, "_id">, s: TicketState): Promise<number> {
  let created = 0;
  for (const { job, at } of clocksNeeded(t, s)) if (await deps.scheduler.schedule(job, at)) created++;
  return created;
}

/** A clock ran out: escalate unless the ticket was answered, resolved, escalated, or its cycle moved. */
export async function runClock(deps: ConcernDeps, job: ConcernClockJob): Promise<"escalated" | "skipped"> {
  const t = await deps.concerns.Concern.findById(job.concernId).lean() as Ticket | null;
  if (!t) return "skipped";
  const r = await escalateBy(deps, t, job.kind, "system", (s) =>
    s.cycle !== job.cycle || (job.kind === "first-response" && s.firstResponseAt) ? { refuse: "skipped" } : undefined,
  `clock-${job.kind}-c${job.cycle}`);
  return r.escalated ? "escalated" : "skipped";
}

/**
 * Rebuilds the clock jobs of every open ticket from its facts (after Redis lost its data, or
 * every minute as a sweep); deterministic job ids, so a job still there is left alone. A
 * summary left behind by a winner that died before writing it is rebuilt on the way.
 * Returns how many jobs it created.
 */
export async function reconcileClocks(deps: ConcernDeps): Promise<number> {
  const open = await deps.concerns.Concern.find({ status: { $ne: "resolved" } }, { _id: 1, version: 1 }).lean();
  let created = 0;
  for (const { _id, version } of open) {
    const state = foldTicket(await readFacts(deps, _id));
    if (state.version !== (version ?? 0)) await project(deps, _id, state);
    created += await scheduleClocks(deps, { _id }, state);
  }
  if (created > 0) log(deps, { created }, "concern clocks rebuilt");
  return created;
}
