/**
 * RSVPs as facts: every answer is its own document `${meeting}-${student}-${seq}`, never
 * replaced; the latest seq per student decides; a reason typed after *Không tham dự* is kept on
 * that answer only. So Mum's "no", Dad's later "yes" and Mum's reason typed after it leave the
 * household attending, whoever's write lands last.
 */
import { say } from "../../engine/say.js";
import { isDuplicateKey } from "../../store/models.js";
import { addressesOf } from "../../store/audience.js";
import { personIdsOf, samePersonAs } from "../../store/people.js";
import { guardianMayAnswer, loadMeeting, safeKey, tell, viewOf, type MeetingDeps, type MeetingDoc } from "./deps.js";
import { childrenDigest, meetingArgs, type MeetingActor, type MeetingView, type RsvpAllResult, type RsvpAnswer, type RsvpResult } from "./port.js";

export interface AnswerDoc {
  _id: string; meetingId: string; studentId: string; seq: number; eventId: string; answer: RsvpAnswer; reason: string; answeredBy: string; at: Date;
}

const answerId = (meetingId: string, studentId: string, seq: number) => (seq === 0 ? `${meetingId}-${studentId}` : `${meetingId}-${studentId}-${seq}`);

/** The latest answer of each student of a meeting. */
export async function latestAnswers(deps: MeetingDeps, meetingId: string, studentId?: string): Promise<Map<string, AnswerDoc>> {
  const docs = (await deps.meetings.MeetingRsvp.find({ meetingId, ...(studentId ? { studentId } : {}) }).lean()) as unknown as AnswerDoc[];
  const latest = new Map<string, AnswerDoc>();
  for (const a of docs) if ((latest.get(a.studentId)?.seq ?? -1) < (a.seq ?? 0)) latest.set(a.studentId, { ...a, seq: a.seq ?? 0 });
  return latest;
}

/** Records one answer as the next seq of the student (a replayed event finds its own answer). */
export async function recordAnswer(deps: MeetingDeps, a: Omit<AnswerDoc, "_id" | "seq" | "at">): Promise<number> {
  const mine = (await deps.meetings.MeetingRsvp.find({ meetingId: a.meetingId, studentId: a.studentId }).lean()) as unknown as AnswerDoc[];
  const replay = mine.find((x) => x.eventId === a.eventId);
  if (replay) return replay.seq;
  for (let seq = Math.max(0, ...mine.map((x) => x.seq ?? 0)) + 1; ; seq++) {
    try {
      await deps.meetings.MeetingRsvp.create({ ...a, _id: answerId(a.meetingId, a.studentId, seq), seq, at: deps.clock.now() });
      return seq;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // another guardian took this seq: ours comes after it
    }
  }
}

/** Checks and records one answer for one student; nobody is told yet. */
async function answerOne(deps: MeetingDeps, actor: MeetingActor, d: MeetingDoc | null, studentId: string, answer: RsvpAnswer, reason: string, eventId: string): Promise<RsvpResult> {
  if (!d || !(await guardianMayAnswer(deps, actor, d, studentId))) return { status: "not-found" };
  const v = await viewOf(deps, d);
  if (d.status !== "published" || new Date(d.startsAt).getTime() <= deps.clock.now().getTime()) return { status: "closed", meeting: v };
  const seq = await recordAnswer(deps, { meetingId: d._id, studentId, answer, reason, answeredBy: actor.identityId, eventId });
  const studentName = actor.roles.guardianOf.find((g) => g.studentId === studentId)!.studentName;
  return { status: "recorded", meeting: v, studentName, answer, seq };
}

/**
 * Tells the other guardians of the children answered for, one message per person (not the
 * answerer on their other messengers, `/kenh`), naming the children of theirs among them. The
 * key is one per (event, identity): a replayed event sends nothing twice.
 */
async function tellOtherGuardians(deps: MeetingDeps, actor: MeetingActor, v: MeetingView, schoolId: string, children: { studentId: string; studentName: string }[], answer: RsvpAnswer, reason: string, eventId: string): Promise<void> {
  const mine = new Set(await samePersonAs(deps.models, actor.identityId));
  const links = (await deps.models.GuardianLink.find({ studentId: { $in: children.map((c) => c.studentId) } }).lean()).filter((l) => !mine.has(l.identityId));
  const personOf = await personIdsOf(deps.models, links.map((l) => l.identityId));
  const childrenOf = new Map<string, Set<string>>();
  for (const l of links) {
    const person = personOf.get(l.identityId)!;
    childrenOf.set(person, (childrenOf.get(person) ?? new Set<string>()).add(l.studentId));
  }
  for (const o of await addressesOf(deps.models, [...new Set(links.map((l) => l.identityId))])) {
    const theirs = children.filter((c) => childrenOf.get(personOf.get(o.identityId)!)?.has(c.studentId));
    if (theirs.length === 0) continue;
    const message = theirs.length === 1
      ? say("meeting-rsvp-by-other", { ...meetingArgs(v), student: theirs[0]!.studentName, answer, reason })
      : say("meeting-rsvp-by-other-children", { ...meetingArgs(v), students: theirs.map((c) => c.studentName).join(", "), answer, reason });
    await tell(deps, schoolId, `mra-${v.id}`, `mra-${safeKey(eventId)}-${o.identityId}`, o.identityId, [message]);
  }
}

/** A guardian's answer for one student; the student's other guardians are told. */
export async function rsvp(deps: MeetingDeps, actor: MeetingActor, id: string, studentId: string, answer: RsvpAnswer, reason: string, eventId: string): Promise<RsvpResult> {
  const d = await loadMeeting(deps, id);
  const r = await answerOne(deps, actor, d, studentId, answer, reason, eventId);
  if (r.status === "recorded") await tellOtherGuardians(deps, actor, r.meeting, d!.schoolId, [{ studentId, studentName: r.studentName }], answer, reason, eventId);
  return r;
}

/** At most this many children of one guardian in a meeting are matched against a button's digest (2^n sets). */
const MAX_CHILDREN = 12;

/** The actor's children in the meeting. */
async function childrenIn(deps: MeetingDeps, actor: MeetingActor, d: MeetingDoc): Promise<string[]> {
  const mine: string[] = [];
  for (const g of actor.roles.guardianOf)
    if (!mine.includes(g.studentId) && (await guardianMayAnswer(deps, actor, d, g.studentId))) mine.push(g.studentId);
  return mine;
}

/** The set of `mine` whose digest is `digest`: the children a message named (a nudge names only some). */
function namedChildren(mine: string[], digest: string): string[] | undefined {
  const n = Math.min(mine.length, MAX_CHILDREN);
  for (let mask = 3; mask < 1 << n; mask++) {
    const set = mine.filter((_, i) => i < n && mask & (1 << i));
    if (set.length >= 2 && childrenDigest(set) === digest) return set;
  }
  return undefined;
}

/**
 * One answer for several children (*Cả N con: tham dự*): each child's answer is its own fact,
 * recorded exactly as `rsvp` records it, under an event id of its own (a replayed press finds
 * each child's answer). Nothing decides for a child but that child's latest answer. The other
 * guardians are told after all are recorded: one message per person for the press, naming the
 * children of theirs it answered for (key `mra-<eventId>-<identity>`, so a replay sends nothing).
 */
export async function rsvpAll(deps: MeetingDeps, actor: MeetingActor, id: string, digest: string, answer: "yes", eventId: string): Promise<RsvpAllResult> {
  const d = await loadMeeting(deps, id);
  const mine = d ? await childrenIn(deps, actor, d) : [];
  // Nobody's meeting but a guardian's of a child in it: like any other forged press, "not found".
  if (mine.length === 0) return { status: "not-found" };
  const children = namedChildren(mine, digest);
  if (!children) return { status: "stale" };
  const answered: { studentId: string; studentName: string }[] = [];
  let meeting: MeetingView | undefined;
  let failed: Exclude<RsvpResult, { status: "recorded" }> | undefined;
  for (const studentId of children) {
    const r = await answerOne(deps, actor, d, studentId, answer, "", `${eventId}#${studentId}`);
    if (r.status !== "recorded") { failed = r; break; }
    answered.push({ studentId, studentName: r.studentName });
    meeting = r.meeting;
  }
  // Each other guardian once for the press, naming the children of theirs it answered for.
  if (meeting) await tellOtherGuardians(deps, actor, meeting, d!.schoolId, answered, answer, "", eventId);
  if (failed) return failed;
  return { status: "recorded", meeting: meeting!, studentNames: answered.map((c) => c.studentName), answer };
}

/** The reason for one's own answer `seq` (not finite: one's latest answer for the student). */
export async function rsvpReason(deps: MeetingDeps, actor: MeetingActor, id: string, studentId: string, seq: number, reason: string): Promise<{ status: "ok" } | { status: "not-found" }> {
  const mine = ((await deps.meetings.MeetingRsvp.find({ meetingId: id, studentId, answeredBy: actor.identityId }).lean()) as unknown as AnswerDoc[])
    .map((a) => ({ ...a, seq: a.seq ?? 0 })).sort((a, b) => b.seq - a.seq);
  const target = Number.isFinite(seq) ? mine.find((a) => a.seq === seq) : mine[0];
  if (!target) return { status: "not-found" };
  // Only the answer's author writes its reason; nobody else updates this document.
  await deps.meetings.MeetingRsvp.updateOne({ _id: target._id }, { $set: { reason } });
  return { status: "ok" };
}
