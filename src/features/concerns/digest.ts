/**
 * The morning digest of each teacher's open tickets, at 07:00 in EACH school's own zone. The
 * clock queue ticks every 15 minutes for the whole fleet (`runDigest`); a school whose local
 * time is in the digest window (Mon–Sat, 07:00 to before 12:00, so a long outage never sends a
 * stale digest in the afternoon) and whose digest for its local date is not yet decided gets
 * it decided by a unique fact `concern-digest-<school>#<local date>`; only the winner sends.
 * A re-run of the same job (BullMQ retry, stalled job) finds its own fact and repeats its
 * sends, which the outbox's keys make harmless; any other run sends nothing.
 */
import { randomUUID } from "node:crypto";
import { say } from "../../engine/say.js";
import { routeFor, type ConcernCategory } from "../../domain/concern.js";
import { isSchoolDay, isoDate, schoolHoursBetween } from "../../domain/school-clock.js";
import { localParts } from "../../domain/time.js";
import { addressesOf } from "../../store/audience.js";
import { decideTransition, type TransitionFact } from "../../store/facts.js";
import type { Models } from "../../store/models.js";
import { homeroomTeachers, log, safeKey, settingsFor, studentAndClass, tzOf, type ConcernDeps, type Ticket } from "./context.js";
import { addressedTo, send, staffTitles } from "./messages.js";

/** The local window of the digest, in minutes after midnight: from 07:00 to before 12:00. */
export const DIGEST_WINDOW = { from: 7 * 60, until: 12 * 60 } as const;

/** The entity of a school's digest facts (one per local date). */
export const digestEntity = (schoolId: string) => `concern-digest-${schoolId}`;

/** The kind of a school's digest fact (a `Transition`). */
export const DIGEST_KIND = "concern-digest";

/**
 * Deletes the digest facts decided before `before` (retention: src/app/retention.ts); how many.
 * The filter suits both servers: MongoDB walks the `_id` index over the `concern-digest-` keys
 * only; FerretDB 1.24 pushes the `kind` equality down to its backend (it pushes no range) and
 * checks `_id` and `at` on that subset.
 */
export async function expireDigestFacts(models: Pick<Models, "Transition">, before: Date): Promise<number> {
  const prefix = digestEntity(""); // "concern-digest-": every key with it sorts before "concern-digest." ("." follows "-")
  const r = await models.Transition.deleteMany({ _id: { $gte: prefix, $lt: `${prefix.slice(0, -1)}.` }, kind: DIGEST_KIND, at: { $lt: before } });
  return r.deletedCount ?? 0;
}

/** The school's local date when `now` is in its digest window on Mon–Sat, else undefined. */
export function digestDay(now: Date, timeZone: string): string | undefined {
  const p = localParts(now, timeZone);
  const minutes = p.hour * 60 + p.minute;
  if (p.weekday === 0 || minutes < DIGEST_WINDOW.from || minutes >= DIGEST_WINDOW.until) return undefined;
  return isoDate(p);
}

/**
 * One tick of the digest for the whole fleet: every school due now (see the file's comment)
 * and not yet decided for its local date; `runId` names this run (the job id) so that its own
 * re-run may repeat its sends. How many teachers it addressed.
 */
export async function runDigest(deps: ConcernDeps, runId: string = `run-${randomUUID()}`): Promise<number> {
  const now = deps.clock.now();
  const schools = (await deps.models.School.find({}).select({ timeZone: 1 }).lean()) as { _id: string; timeZone?: string }[];
  const due = schools.flatMap((s) => {
    const day = digestDay(now, s.timeZone || tzOf(deps));
    return day ? [{ schoolId: s._id, day, factId: `${digestEntity(s._id)}#${day}` }] : [];
  });
  if (due.length === 0) return 0;
  // A read first spares a failed insert per school per tick; the insert alone decides.
  const decided = new Map(((await deps.models.Transition.find({ _id: { $in: due.map((d) => d.factId) } }).lean()) as unknown as TransitionFact[]).map((f) => [f._id, f.actor]));
  let teachers = 0;
  for (const d of due) {
    if (decided.has(d.factId) && decided.get(d.factId) !== runId) continue;
    const decision = await decideTransition(deps.models, { entity: digestEntity(d.schoolId), slot: d.day, kind: DIGEST_KIND, actor: runId, at: now });
    if (!decision.won && decision.fact.actor !== runId) continue;
    teachers += await sendDigest(deps, d.schoolId, d.day, now);
  }
  return teachers;
}

/** Each teacher's open tickets of one school, those close to escalation marked; how many teachers. */
export async function sendDigest(deps: ConcernDeps, schoolId: string, day: string, now: Date): Promise<number> {
  const open = (await deps.concerns.Concern.find({ schoolId, status: { $ne: "resolved" } }).sort({ createdAt: 1 }).lean()) as Ticket[];
  const byTeacher = new Map<string, { lines: string[]; soon: number }>();
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
  const people = await notYetDigested(deps, day, await addressesOf(deps.models, [...byTeacher.keys()]));
  const titles = await staffTitles(deps, people.map((p) => p.identityId));
  await send(deps, `pa-digest-${day}`, people.map((p) => {
    const e = byTeacher.get(p.identityId)!;
    const messages = addressedTo([say("concern-digest", { count: e.lines.length, soon: e.soon, list: e.lines.join("\n") })], titles.get(p.identityId));
    return { key: `pa-digest-${day}-${safeKey(schoolId)}-${p.identityId}`, recipient: p.address, messages };
  }));
  if (people.length > 0) log(deps, { schoolId, day, teachers: people.length }, "concern digest sent");
  return people.length;
}

/**
 * Upgrade day: a teacher who already got this date's digest from the fleet-wide 07:00 of the
 * deployment's zone (key `pa-digest-<date>-<identity>`, before digests were per school) gets
 * no second one. Harmless once no such key can be of today.
 */
async function notYetDigested<P extends { identityId: string }>(deps: ConcernDeps, day: string, people: P[]): Promise<P[]> {
  if (people.length === 0) return people;
  const legacy = await deps.models.Delivery.find({ _id: { $in: people.map((p) => `pa-digest-${day}-${p.identityId}`) } }).select({ _id: 1 }).lean();
  const got = new Set(legacy.map((d) => String(d._id)));
  return people.filter((p) => !got.has(`pa-digest-${day}-${p.identityId}`));
}
