/**
 * RSVPs as facts: every answer is its own document `${meeting}-${student}-${seq}`, never
 * replaced; the latest seq per student decides; a reason typed after *Không tham dự* is kept on
 * that answer only. So Mum's "no", Dad's later "yes" and Mum's reason typed after it leave the
 * household attending, whoever's write lands last.
 */
import { say } from "../../engine/say.js";
import { isDuplicateKey } from "../../store/models.js";
import { addressesOf } from "../../store/audience.js";
import { samePersonAs } from "../../store/people.js";
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

/** A guardian's answer for one student; the student's other guardians are told. */
export async function rsvp(deps: MeetingDeps, actor: MeetingActor, id: string, studentId: string, answer: RsvpAnswer, reason: string, eventId: string): Promise<RsvpResult> {
  const d = await loadMeeting(deps, id);
  if (!d || !(await guardianMayAnswer(deps, actor, d, studentId))) return { status: "not-found" };
  const v = await viewOf(deps, d);
  if (d.status !== "published" || new Date(d.startsAt).getTime() <= deps.clock.now().getTime()) return { status: "closed", meeting: v };
  const seq = await recordAnswer(deps, { meetingId: id, studentId, answer, reason, answeredBy: actor.identityId, eventId });
  const studentName = actor.roles.guardianOf.find((g) => g.studentId === studentId)!.studentName;
  // The other guardians, one message per person: not the answerer on their other messengers (`/kenh`).
  const mine = new Set(await samePersonAs(deps.models, actor.identityId));
  const links = await deps.models.GuardianLink.find({ studentId, identityId: { $ne: actor.identityId } }).lean();
  const others = await addressesOf(deps.models, links.map((l) => l.identityId).filter((id) => !mine.has(id)));
  for (const o of others)
    await tell(deps, d.schoolId, `mra-${id}`, `mra-${safeKey(eventId)}-${o.identityId}`, o.identityId, [say("meeting-rsvp-by-other", { ...meetingArgs(v), student: studentName, answer, reason })]);
  return { status: "recorded", meeting: v, studentName, answer, seq };
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
 * each child's answer). Nothing decides for a child but that child's latest answer.
 */
export async function rsvpAll(deps: MeetingDeps, actor: MeetingActor, id: string, digest: string, answer: "yes", eventId: string): Promise<RsvpAllResult> {
  const d = await loadMeeting(deps, id);
  const mine = d ? await childrenIn(deps, actor, d) : [];
  // Nobody's meeting but a guardian's of a child in it: like any other forged press, "not found".
  if (mine.length === 0) return { status: "not-found" };
  const children = namedChildren(mine, digest);
  if (!children) return { status: "stale" };
  const names: string[] = [];
  let meeting: MeetingView | undefined;
  for (const studentId of children) {
    const r = await rsvp(deps, actor, id, studentId, answer, "", `${eventId}#${studentId}`);
    if (r.status !== "recorded") return r;
    names.push(r.studentName);
    meeting = r.meeting;
  }
  return { status: "recorded", meeting: meeting!, studentNames: names, answer };
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
