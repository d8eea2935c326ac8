/**
 * The concerns feature (phản ánh): `createConcerns(deps)` assembles the `ConcernsPort` the
 * flows call from the use cases beside this file, plus what the clock queue's worker and the
 * reconciler run. Every ticket change is a fact decided by a unique insert (`transition.ts`).
 *
 * @example
 * const concerns = createConcerns({ models, concerns: registerConcernModels(conn), outbox, scheduler, clock });
 * await concerns.resolve(actor, ticketId); // { status: "ok" } for the one winner, "closed" for the rest
 */
import type { ConcernDeps } from "./context.js";
import { settingsOf } from "./context.js";
import { create } from "./create.js";
import { listForGuardian, listForStaff, view } from "./views.js";
import { acknowledge, addMessage } from "./respond.js";
import { escalate } from "./escalate.js";
import { handBack, rate, reopen, resolve } from "./close.js";
import { reportIncident, stats } from "./reports.js";
import { myQuietHours, setMyQuietHours } from "./quiet.js";
import { reconcileClocks, runClock } from "./clocks.js";
import { runAssign } from "./sweeps.js";
import { runDigest } from "./digest.js";
import type { ConcernClockJob, ConcernsPort } from "./port.js";

export type { ConcernDeps, CalendarSettings } from "./context.js";

export interface Concerns extends ConcernsPort {
  runClock(job: ConcernClockJob): Promise<"escalated" | "skipped">;
  /** One tick of the morning digest (every school at its own 07:00); `runId` = the job id, so a re-run of it may repeat its sends. */
  runDigest(runId?: string): Promise<number>;
  runAssign(): Promise<number>;
  /** Rebuilds every open ticket's clock jobs from MongoDB; how many it created. */
  reconcile(): Promise<number>;
  settingsOf(schoolId: string, yearName?: string): ReturnType<typeof settingsOf>;
}

/** The concerns port and its jobs over `deps`. */
export function createConcerns(deps: ConcernDeps): Concerns {
  return {
    create: (actor, input, eventId) => create(deps, actor, input, eventId),
    listForGuardian: (actor) => listForGuardian(deps, actor),
    listForStaff: (actor) => listForStaff(deps, actor),
    view: (actor, id) => view(deps, actor, id),
    addMessage: (actor, id, text, eventId) => addMessage(deps, actor, id, text, eventId),
    acknowledge: (actor, id) => acknowledge(deps, actor, id),
    escalate: (actor, id) => escalate(deps, actor, id),
    handBack: (actor, id) => handBack(deps, actor, id),
    resolve: (actor, id) => resolve(deps, actor, id),
    rate: (actor, id, stars) => rate(deps, actor, id, stars),
    reopen: (actor, id) => reopen(deps, actor, id),
    reportIncident: (actor, id, report, eventId) => reportIncident(deps, actor, id, report, eventId),
    stats: (actor) => stats(deps, actor),
    myQuietHours: (actor) => myQuietHours(deps, actor),
    setMyQuietHours: (actor, change) => setMyQuietHours(deps, actor, change),
    runClock: (job) => runClock(deps, job),
    runDigest: (runId) => runDigest(deps, runId),
    runAssign: () => runAssign(deps),
    reconcile: () => reconcileClocks(deps),
    settingsOf: (schoolId, yearName) => settingsOf(deps, schoolId, yearName),
  };
}
