/**
 * The clock queue's recurring work: the minute sweep of tickets raised while nobody could
 * receive them (`runAssign`), and the 07:00 digest of each teacher's open tickets (`runDigest`).
 */
import { say, dateArg } from "../../engine/say.js";
import { routeFor, type ConcernCategory } from "../../domain/concern.js";
import { isSchoolDay, isoDate, schoolHoursBetween } from "../../domain/school-clock.js";
import { localParts } from "../../domain/time.js";
import { addressesOf } from "../../store/audience.js";
import { homeroomTeachers, log, principals, settingsFor, studentAndClass, tzOf, yearOf, type ConcernDeps, type Ticket } from "./context.js";
import { addressedTo, send, staffTitles, tell, ticketSays } from "./messages.js";
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

/** The 07:00 digest: each teacher's open tickets, those close to escalation first marked. */
export async function runDigest(deps: ConcernDeps): Promise<number> {
  const now = deps.clock.now();
  const open = (await deps.concerns.Concern.find({ status: { $ne: "resolved" } }).sort({ createdAt: 1 }).lean()) as Ticket[];
  const byTeacher = new Map<string, { lines: string[]; soon: number }>();
  const day = isoDate(localParts(now, tzOf(deps)));
  for (const t of open) {
    if (!routeFor(t.category as ConcernCategory).teacher || t.status === "escalated") continue;
    const s = await settingsFor(deps, t);
    if (!isSchoolDay(s.calendar, now)) continue;
    const due = new Date((t.firstResponseAt ? t.resolutionDueAt : t.firstResponseDueAt) ?? now);
    const soon = schoolHoursBetween(s.calendar, now, due) <= 2;
    const { studentName } = await studentAndClass(deps, t);
    for (const teacher of await homeroomTeachers(deps, t.classGroupId)) {
      const entry = byTeacher.get(teacher) ?? { lines: [], soon: 0 };
      entry.lines.push(`${soon ? "⏰ " : "• "}${t.number} — ${studentName}`);
      if (soon) entry.soon++;
      byTeacher.set(teacher, entry);
    }
  }
  const people = await addressesOf(deps.models, [...byTeacher.keys()]);
  const titles = await staffTitles(deps, people.map((p) => p.identityId));
  await send(deps, `pa-digest-${day}`, people.map((p) => {
    const e = byTeacher.get(p.identityId)!;
    const messages = addressedTo([say("concern-digest", { count: e.lines.length, soon: e.soon, list: e.lines.join("\n") })], titles.get(p.identityId));
    return { key: `pa-digest-${day}-${p.identityId}`, recipient: p.address, messages };
  }));
  return people.length;
}
