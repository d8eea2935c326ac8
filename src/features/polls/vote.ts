/**
 * A guardian's vote for one child: a new press on top of the household's latest one, then a
 * look at the close fact (see votes.ts) so a press racing the close is counted or refused.
 */
import { isDuplicateKey } from "../../store/models.js";
import { addressesOf } from "../../store/audience.js";
import { samePersonAs } from "../../store/people.js";
import { anonKey, loadPoll, nightHold, toPollView, type PollDeps, type PollDoc } from "./deps.js";
import { closeFactOf, ensureResult, votesOf, type VoteRow } from "./votes.js";
import { voteChangedSay } from "./messages.js";
import type { PollActor, VoteResult } from "./port.js";

/** Presses racing on one household (two guardians at once) before giving up. */
const MAX_PRESS_ATTEMPTS = 16;

/** The household's choice after pressing `option` (single choice: replaces; multiple: toggles). */
export function nextChoice(current: number[], option: number, remove: boolean, multiple: boolean): number[] {
  if (!multiple) return [option];
  const set = new Set(current);
  if (remove) set.delete(option);
  else set.add(option);
  return [...set].sort((a, b) => a - b);
}

type Press = { id: string; n: number; chosen: number[]; previous?: VoteRow };

/** Inserts the next press of a household; the loser of a same-household race re-reads and presses after the winner. */
async function press(deps: PollDeps, d: PollDoc, key: string, fields: { studentId: string; by: string }, option: number, remove: boolean): Promise<Press> {
  for (let attempt = 0; attempt < MAX_PRESS_ATTEMPTS; attempt++) {
    const previous = (await votesOf(deps, d._id, key))[0];
    const chosen = nextChoice(previous?.chosen ?? [], option, remove, d.multiple);
    const n = (previous?.n ?? 0) + 1, id = `${d._id}-${key}-${n}`;
    if (previous && previous.chosen.join() === chosen.join()) return { id: previous.ids[0]!, n: previous.n, chosen, previous };
    try {
      await deps.polls.PollVote.create({ _id: id, pollId: d._id, voterKey: key, n, chosen, ...fields });
      return { id, n, chosen, ...(previous ? { previous } : {}) };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new Error(`poll ${d._id}: too many concurrent presses for one household`);
}

/** After the insert: no close yet means the result will read this press; else the frozen result decides. */
async function settle(deps: PollDeps, d: PollDoc, key: string, p: Press): Promise<boolean> {
  if (!(await closeFactOf(deps, d._id))) {
    await deps.polls.PollVote.deleteMany({ pollId: d._id, voterKey: key, n: { $lt: p.n } });
    return true;
  }
  const result = await ensureResult(deps, d);
  if (result.voteIds.includes(p.id)) return true;
  if (p.previous?.n !== p.n) await deps.polls.PollVote.deleteOne({ _id: p.id });
  return false;
}

/** Tells the guardian who cast the household's previous vote that another guardian replaced it. */
async function tellPreviousVoter(deps: PollDeps, d: PollDoc, studentId: string, studentName: string, p: Press, actorId: string): Promise<void> {
  if (!p.previous || !p.previous.by || p.previous.by === anonKey(d, actorId) || p.previous.n === p.n) return;
  const links = await deps.models.GuardianLink.find({ studentId }).lean();
  const previousVoter = links.find((l) => anonKey(d, l.identityId) === p.previous!.by);
  // The same parent voting again from their other messenger (`/kenh`) is not "another guardian".
  if (!previousVoter || (await samePersonAs(deps.models, actorId)).includes(previousVoter.identityId)) return;
  const hold = await nightHold(deps, d.schoolId);
  const items = (await addressesOf(deps.models, [previousVoter.identityId])).map((a) => ({
    key: `poll-vote-changed-${p.id}-${a.identityId}`, recipient: a.address, messages: [voteChangedSay(toPollView(d), studentName, p.chosen)], ...hold,
  }));
  await deps.outbox.enqueueGroup(`poll-vote-changed-${p.id}`, items);
}

/** Records a press for one child, or says why not (not theirs, closed — also when the close won a race). */
export async function vote(deps: PollDeps, actor: PollActor, pollId: string, studentIdx: number, option: number, remove: boolean): Promise<VoteResult> {
  const d = await loadPoll(deps, pollId);
  const studentId = d?.studentIds[studentIdx];
  const child = studentId ? actor.roles.guardianOf.find((g) => g.studentId === studentId) : undefined;
  if (!d || !studentId || !child || !Number.isInteger(option) || option < 0 || option >= d.options.length) return { status: "not-found" };
  const closed = d.status !== "open" || new Date(d.closesAt).getTime() <= deps.clock.now().getTime() || (!d.voterSecret && d.anonymity === "anonymous");
  if (closed || (await closeFactOf(deps, pollId))) return { status: "closed", poll: toPollView(d, true) };
  const key = anonKey(d, studentId), byKey = anonKey(d, actor.identityId);
  const p = await press(deps, d, key, { studentId: d.anonymity === "anonymous" ? "" : studentId, by: byKey }, option, remove);
  if (!(await settle(deps, d, key, p))) return { status: "closed", poll: toPollView(d, true) };
  await tellPreviousVoter(deps, d, studentId, child.studentName, p, actor.identityId);
  return { status: "recorded", poll: toPollView(d), student: { idx: studentIdx, studentName: child.studentName, chosen: p.chosen } };
}
