/** What organizers and guardians list: an organizer's rounds and their opinions, a guardian's open rounds. */
import type { PollActor } from "../polls/port.js";
import { organizedRound, roundClosed, toRoundView, type OpinionDeps, type RoundDoc } from "./deps.js";
import type { GuardianRound, OpinionView, RoundView } from "./port.js";

/** The organizer's rounds: the open ones, then the last five closed. */
export async function listOrganizedRounds(deps: OpinionDeps, actor: PollActor): Promise<RoundView[]> {
  const docs = (await deps.polls.OpinionRound.find({ organizerIdentityId: actor.identityId }).sort({ createdAt: -1 }).limit(20).lean()) as RoundDoc[];
  const views = docs.map((d) => toRoundView(d));
  return [...views.filter((v) => v.status === "open"), ...views.filter((v) => v.status !== "open").slice(0, 5)];
}

/** Open rounds for the actor's children (only the children in each round's scope). */
export async function roundsForGuardian(deps: OpinionDeps, actor: PollActor): Promise<GuardianRound[]> {
  if (actor.roles.guardianOf.length === 0) return [];
  const now = deps.clock.now();
  const schools = [...new Set(actor.roles.guardianOf.map((g) => g.schoolId))];
  const docs = ((await deps.polls.OpinionRound.find({ schoolId: { $in: schools }, status: "open" }).sort({ closesAt: 1 }).lean()) as RoundDoc[])
    .filter((d) => new Date(d.closesAt) > now);
  return docs
    .map((d) => ({ round: toRoundView(d), students: actor.roles.guardianOf.filter((g) => d.studentIds.includes(g.studentId)).map((g) => ({ studentId: g.studentId, studentName: g.studentName })) }))
    .filter((r) => r.students.length > 0);
}

/** A round's opinions, oldest first; anonymous ones without a household. */
export async function listOpinions(deps: OpinionDeps, d: RoundDoc): Promise<OpinionView[]> {
  const docs = await deps.polls.Opinion.find({ roundId: d._id }).sort({ at: 1 }).lean();
  const names = new Map((await deps.models.Student.find({ _id: { $in: docs.map((o) => o.studentId).filter(Boolean) } }).lean()).map((s) => [s._id, s.fullName]));
  return docs.map((o) => ({ at: new Date(o.at), text: o.text, studentName: o.anonymous ? "" : (names.get(o.studentId) ?? "") }));
}

/** The organizer's view of a round's opinions, or undefined when the round is not theirs. */
export async function opinions(deps: OpinionDeps, actor: PollActor, roundId: string): Promise<{ round: RoundView; opinions: OpinionView[] } | undefined> {
  const d = await organizedRound(deps, actor, roundId);
  return d ? { round: toRoundView(d, await roundClosed(deps, roundId)), opinions: await listOpinions(deps, d) } : undefined;
}
