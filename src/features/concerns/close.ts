/**
 * Ending and restarting a cycle: resolve (teacher or principal), hand back (principal →
 * teacher), reopen (guardian, within 7 days; the third time to Ban giám hiệu), and the
 * guardian's rating. Each is one fact decided against the clocks and each other; only the
 * winner writes the summary and tells anyone.
 */
import { say } from "../../engine/say.js";
import { isOpen, reopenDecision, routeFor, type ConcernCategory } from "../../domain/concern.js";
import { forActor, principals, reachableTeachers, summaryOf, yearOf, type ConcernDeps, type Ticket } from "./context.js";
import { tell, tellGuardian, ticketSays } from "./messages.js";
import { transition } from "./transition.js";
import { announceEscalation } from "./escalate.js";
import { clockDues, scheduleClocks } from "./clocks.js";
import { ratingButtons, type ConcernActionResult, type ConcernActor, type ReopenResult } from "./port.js";

const result = async (deps: ConcernDeps, status: "ok" | "closed", t: Ticket): Promise<ConcernActionResult> => ({ status, ticket: await summaryOf(deps, t) });

/**
 * Resolves an open ticket; a second resolve (or one after the other's) is told it is closed.
 * Ban giám hiệu, when it had been escalated to them in this cycle (even a moment before, by
 * the clock), is told it was resolved, so the guardian and the principal hear the same story.
 */
export async function resolve(deps: ConcernDeps, actor: ConcernActor, id: string): Promise<ConcernActionResult> {
  const { t, viewer } = await forActor(deps, actor, id, ["teacher", "principal"]);
  if (!t) return { status: "not-found" };
  const r = await transition(deps, t, actor.identityId, (s) => (isOpen(s.status) ? { kind: "resolved" } : { refuse: "closed" }));
  if (r.outcome !== "won") return result(deps, "closed", r.ticket);
  const tag = `res-v${r.fact.version}`;
  await tellGuardian(deps, r.ticket, tag, [say("concern-resolved-guardian", { number: t.number }, ratingButtons(id))]);
  if (r.before.escalatedThisCycle) {
    const heads = (await principals(deps, t.schoolId, await yearOf(deps, t))).filter((h) => h !== actor.identityId);
    await tell(deps, r.ticket, tag, "staff", heads, [say("concern-resolved-principal", { number: t.number, who: viewer ?? "teacher" })]);
  }
  return result(deps, "ok", r.ticket);
}

/** The principal gives an escalated ticket back to the homeroom teacher: a new cycle with its own resolution clock. */
export async function handBack(deps: ConcernDeps, actor: ConcernActor, id: string): Promise<ConcernActionResult> {
  const { t } = await forActor(deps, actor, id, ["principal"]);
  if (!t) return { status: "not-found" };
  if (!routeFor(t.category as ConcernCategory).teacher) return { status: "not-allowed" };
  const { resolutionDueAt } = await clockDues(deps, t, deps.clock.now());
  const teachers = await reachableTeachers(deps, t);
  const r = await transition(deps, t, actor.identityId, (s) =>
    !isOpen(s.status) ? { refuse: "closed" } : s.status !== "escalated" ? { refuse: "not-allowed" }
      : { kind: "handed-back", data: { resolutionDueAt: resolutionDueAt.toISOString(), awaitsTeacher: teachers.length === 0 } });
  if (r.outcome !== "won") return r.outcome === "refused" && r.reason === "closed" ? result(deps, "closed", r.ticket) : { status: "not-allowed" };
  await scheduleClocks(deps, r.ticket, r.state);
  await tell(deps, r.ticket, `back-c${r.state.cycle}`, "staff", teachers, await ticketSays(deps, r.ticket, "concern-handed-back-teacher", "teacher"));
  await tellGuardian(deps, r.ticket, `back-c${r.state.cycle}`, [say("concern-handed-back-guardian", { number: t.number })]);
  return result(deps, "ok", r.ticket);
}

/** The guardian reopens a resolved ticket: twice back to the teacher, then to Ban giám hiệu. */
export async function reopen(deps: ConcernDeps, actor: ConcernActor, id: string): Promise<ReopenResult> {
  const { t } = await forActor(deps, actor, id, ["guardian"]);
  if (!t) return { status: "not-found" };
  const now = deps.clock.now();
  const { resolutionDueAt } = await clockDues(deps, t, now);
  const teachers = await reachableTeachers(deps, t);
  const r = await transition(deps, t, actor.identityId, (s) => {
    if (s.status !== "resolved" || !s.resolvedAt) return { refuse: "not-resolved" };
    const decision = reopenDecision(s.resolvedAt, now, s.reopens);
    if (decision === "too-late") return { refuse: "too-late" };
    const to = decision === "to-principal" || !routeFor(t.category as ConcernCategory).teacher ? "principal" : "teacher";
    return { kind: "reopened", data: { to, resolutionDueAt: resolutionDueAt.toISOString(), awaitsTeacher: to === "teacher" && teachers.length === 0 } };
  });
  if (r.outcome !== "won") return { status: r.outcome === "refused" && r.reason === "too-late" ? "too-late" : "not-resolved" };
  await scheduleClocks(deps, r.ticket, r.state);
  if (r.fact.data.to === "principal") {
    await announceEscalation(deps, r.ticket, r.fact, "reopen");
    return { status: "reopened", to: "principal", ticket: await summaryOf(deps, r.ticket) };
  }
  await tell(deps, r.ticket, `reo-${r.state.reopens}`, "staff", teachers, await ticketSays(deps, r.ticket, "concern-reopened-staff", "teacher"));
  return { status: "reopened", to: "teacher", ticket: await summaryOf(deps, r.ticket) };
}

/** The guardian confirms a resolved ticket with 1–5 stars (once per cycle). */
export async function rate(deps: ConcernDeps, actor: ConcernActor, id: string, stars: number): Promise<ConcernActionResult> {
  const { t } = await forActor(deps, actor, id, ["guardian"]);
  if (!t) return { status: "not-found" };
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) return { status: "not-allowed" };
  const r = await transition(deps, t, actor.identityId, (s) =>
    s.status !== "resolved" ? { refuse: "not-allowed" } : s.confirmedAt ? { noop: true } : { kind: "rated", data: { stars } });
  return r.outcome === "refused" ? { status: "not-allowed" } : result(deps, "ok", r.ticket);
}
