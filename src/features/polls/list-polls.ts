/** What organizers and guardians list: an organizer's polls, a guardian's open ballots. */
import { anonKey, toPollView, type PollDeps, type PollDoc } from "./deps.js";
import { votesOf } from "./votes.js";
import type { BallotStudent, GuardianBallot, PollActor, PollView } from "./port.js";

/** The organizer's polls: the open ones, then the last five closed. */
export async function listOrganizedPolls(deps: PollDeps, actor: PollActor): Promise<PollView[]> {
  const docs = (await deps.polls.Poll.find({ organizerIdentityId: actor.identityId }).sort({ createdAt: -1 }).limit(20).lean()) as PollDoc[];
  const views = docs.map((d) => toPollView(d));
  return [...views.filter((v) => v.status === "open"), ...views.filter((v) => v.status !== "open").slice(0, 5)];
}

/** The open polls of the actor's children, each child with what its household chose so far. */
export async function ballots(deps: PollDeps, actor: PollActor): Promise<GuardianBallot[]> {
  const mine = new Map(actor.roles.guardianOf.map((g) => [g.studentId, g.studentName]));
  if (mine.size === 0) return [];
  const now = deps.clock.now();
  const schools = [...new Set(actor.roles.guardianOf.map((g) => g.schoolId))];
  const docs = ((await deps.polls.Poll.find({ schoolId: { $in: schools }, status: "open" }).sort({ closesAt: 1 }).lean()) as PollDoc[])
    .filter((d) => new Date(d.closesAt) > now);
  const out: GuardianBallot[] = [];
  for (const d of docs) {
    const students: BallotStudent[] = [];
    for (const [idx, studentId] of d.studentIds.entries()) {
      const name = mine.get(studentId);
      if (name !== undefined) students.push({ idx, studentName: name, chosen: (await votesOf(deps, d._id, anonKey(d, studentId)))[0]?.chosen ?? [] });
    }
    if (students.length > 0) out.push({ poll: toPollView(d), students });
  }
  return out;
}
