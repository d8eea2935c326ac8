/**
 * The clock queue's minute sweep of tickets raised while nobody could receive them
 * (`runAssign`); the morning digest is `digest.ts`.
 */
import { say, dateArg } from "../../engine/say.js";
import { homeroomTeachers, log, principals, yearOf, type ConcernDeps, type Ticket } from "./context.js";
import { tell, ticketSays } from "./messages.js";
import { transition } from "./transition.js";

/** Delivers one waiting side of a ticket to whoever linked since; how many received it. */
async function assignSide(deps: ConcernDeps, t: Ticket, side: "teacher" | "principal"): Promise<number> {
  const ids = side === "teacher" ? await homeroomTeachers(deps, t.classGroupId) : await principals(deps, t.schoolId, await yearOf(deps, t));
  const messages = [say("concern-assigned-late", { number: t.number, createdAt: dateArg(new Date(t.createdAt)) }), ...(await ticketSays(deps, t, "concern-to-staff", side))];
  const n = await tell(deps, t, side === "teacher" ? "late-t" : "late-p", "staff", ids, messages);
  if (n === 0) return 0;
  const field = side === "teacher" ? "awaitsTeacher" : "awaitsPrincipal";
  await transition(deps, t, "system", (s) => (s[field] ? { kind: "assigned", data: { side } } : { noop: true }));
  log(deps, { concernId: t._id, side, recipients: n }, "concern assigned late");
  return n;
}

/**
 * Tickets raised while nobody could receive them (no homeroom teacher or Ban giám hiệu linked
 * yet) go to whoever has linked since, with a notice, in their quiet hours like any other;
 * escalated and resolved ones are left alone. Runs every minute; deterministic outbox keys,
 * so running twice sends once.
 */
export async function runAssign(deps: ConcernDeps): Promise<number> {
  const waiting = (await deps.concerns.Concern.find({ status: { $in: ["sent", "acknowledged", "in-progress"] }, $or: [{ awaitsTeacher: true }, { awaitsPrincipal: true }] })
    .sort({ createdAt: 1 }).limit(500).lean()) as Ticket[];
  let delivered = 0;
  for (const t of waiting) {
    if (t.awaitsTeacher) delivered += await assignSide(deps, t, "teacher");
    if (t.awaitsPrincipal) delivered += await assignSide(deps, t, "principal");
  }
  return delivered;
}
