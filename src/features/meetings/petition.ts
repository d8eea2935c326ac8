/**
 * Extraordinary-meeting petitions (Circular 55/2011 Art. 9): a guardian opens one for their
 * child's class, the other households co-sign (one signature per pupil), and at half of the
 * class the homeroom teacher and the board head are told. A class has one open petition at a
 * time: opening the class's n-th petition is the unique fact `petition:<class>#open-<n>`, so
 * eight parents opening at once end up on one petition.
 */
import { say } from "../../engine/say.js";
import { decideOnce } from "../../store/facts.js";
import { isDuplicateKey } from "../../store/models.js";
import { boardHeadFor, enqueueFor, householdsOfMeeting, nightHold, tell, type MeetingDeps } from "./deps.js";
import { petitionInviteItems } from "./messages.js";
import type { MeetingActor, PetitionResult } from "./port.js";
import { meetingIdFor } from "./publish.js";

interface PetitionFact { _id: string; entity: string; kind: string; actor: string; at: Date; data: string }

/** Decides which petition is the class's open one: ours (won) or the one somebody else opened first. */
async function openPetition(deps: MeetingDeps, actor: MeetingActor, g: { schoolId: string; classGroupId: string }, reason: string, eventId: string) {
  const round = (await deps.meetings.MeetingPetition.countDocuments({ classGroupId: g.classGroupId, status: "reached" })) + 1;
  const petition = { _id: "p" + meetingIdFor(eventId).slice(1), schoolId: g.schoolId, classGroupId: g.classGroupId, round, reason, openedBy: actor.identityId, createdAt: deps.clock.now() };
  const entity = `petition:${g.classGroupId}`;
  const decided = await decideOnce<PetitionFact>(deps.models.Transition, {
    _id: `${entity}#open-${round}`, entity, kind: "petition-opened", actor: actor.identityId, at: petition.createdAt, data: JSON.stringify({ petitionId: petition._id }),
  });
  const petitionId = (JSON.parse(decided.fact.data) as { petitionId: string }).petitionId;
  if (decided.won) {
    try {
      await deps.meetings.MeetingPetition.create(petition);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  return { won: decided.won, petitionId };
}

/** Joins the class's open petition, or opens one (other households are invited to co-sign). */
export async function startPetition(deps: MeetingDeps, actor: MeetingActor, studentId: string, reason: string, eventId: string): Promise<PetitionResult> {
  const g = actor.roles.guardianOf.find((x) => x.studentId === studentId);
  if (!g) return { status: "not-found" };
  const open = await deps.meetings.MeetingPetition.findOne({ classGroupId: g.classGroupId, status: "open" }).lean();
  if (open) return signPetition(deps, actor, open._id, studentId);
  const { won, petitionId } = await openPetition(deps, actor, g, reason, eventId);
  const result = await signPetition(deps, actor, petitionId, studentId);
  if (!won) return result;
  if (result.status !== "not-found") result.opened = true;
  // Every other household of the class may co-sign; who opened it is not said.
  const others = (await householdsOfMeeting(deps, { scope: "class", classGroupId: g.classGroupId, schoolId: g.schoolId, grade: 0 })).filter((h) => h.studentId !== studentId);
  await enqueueFor(deps, g.schoolId, `mpi-${petitionId}`, petitionInviteItems(petitionId, reason, others, await nightHold(deps, g.schoolId)));
  return result;
}

/** The petition, waiting briefly for its opener's insert when the opening fact is seen first. */
async function petitionById(deps: MeetingDeps, petitionId: string) {
  for (let i = 0; i < 50; i++) {
    const p = await deps.meetings.MeetingPetition.findById(petitionId).lean();
    if (p) return p;
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

/** Co-signs for one student; at half of the class's households the teacher and the board head are told (once: deterministic keys). */
export async function signPetition(deps: MeetingDeps, actor: MeetingActor, petitionId: string, studentId: string): Promise<PetitionResult> {
  const p = await petitionById(deps, petitionId);
  const g = actor.roles.guardianOf.find((x) => x.studentId === studentId);
  if (!p || !g || g.classGroupId !== p.classGroupId) return { status: "not-found" };
  const students = await deps.models.Student.countDocuments({ classGroupId: p.classGroupId });
  let fresh = true;
  try {
    await deps.meetings.MeetingPetitionSignature.create({ _id: `${petitionId}-${studentId}`, petitionId, studentId, signedBy: actor.identityId, at: deps.clock.now() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    fresh = false;
  }
  const signatures = await deps.meetings.MeetingPetitionSignature.countDocuments({ petitionId });
  if (!fresh) return { status: "already-signed", signatures, households: students };
  // Half of the class's households (one per pupil), counted from signature documents: no lost update.
  const reached = signatures * 2 >= students;
  if (reached) await petitionReached(deps, p, signatures, students);
  return { status: "signed", petitionId, signatures, households: students, reached };
}

async function petitionReached(deps: MeetingDeps, p: { _id: string; schoolId: string; classGroupId: string; reason: string }, signatures: number, students: number) {
  // Every writer of this field writes the same value, so concurrent writes cannot disagree.
  await deps.meetings.MeetingPetition.updateOne({ _id: p._id }, { $set: { status: "reached", reachedAt: deps.clock.now() } });
  const teachers = await deps.models.StaffRole.find({ classGroupId: p.classGroupId, role: "homeroom-teacher" }).lean();
  const head = await boardHeadFor(deps, { scope: "class", schoolId: p.schoolId, classGroupId: p.classGroupId });
  const className = (await deps.models.ClassGroup.findById(p.classGroupId).lean())?.name ?? "";
  for (const identityId of new Set([...teachers.map((t) => t.identityId), ...(head ? [head] : [])]))
    await tell(deps, p.schoolId, `mpr-${p._id}`, `mpr-${p._id}-${identityId}`, identityId, [say("meeting-petition-reached", { className, reason: p.reason, signatures, households: students })]);
}
