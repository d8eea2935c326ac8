/**
 * A guardian's opinion. Anonymous ones keep nothing that joins them to a family: no student,
 * no writer, an id from the conversation's random submission token (never from the inbound
 * event), and only the hour it was written.
 */
import { isDuplicateKey } from "../../store/models.js";
import type { PollActor } from "../polls/port.js";
import { ensureFrozenSummary, loadRound, roundClosed, toRoundView, type OpinionDeps } from "./deps.js";
import type { OpinionInput, SubmitOpinionResult } from "./port.js";

const HOUR_MS = 3_600_000;

/** Inserts once; true when this call created the document. */
async function insertOnce(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return false;
  }
}

/**
 * Stores the opinion once per submission token, the writer first as a participant of the round
 * (for the summary). An opinion that meets the close right after its insert is counted in the
 * frozen summary, or refused and removed — never stored yet missing from the summary.
 */
export async function submitOpinion(deps: OpinionDeps, actor: PollActor, input: OpinionInput): Promise<SubmitOpinionResult> {
  const { roundId, studentId, text, anonymous } = input;
  const d = await loadRound(deps, roundId);
  if (!d || !d.studentIds.includes(studentId) || !actor.roles.guardianOf.some((g) => g.studentId === studentId)) return { status: "not-found" };
  const now = deps.clock.now();
  if (d.status !== "open" || new Date(d.closesAt).getTime() <= now.getTime() || (await roundClosed(deps, roundId))) return { status: "closed", round: toRoundView(d, true) };
  if (!/^[a-z0-9]{8,40}$/.test(input.submission)) throw new Error("opinion submission token malformed");
  const at = anonymous ? new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS) : now;
  const participantId = `${roundId}-${actor.identityId}`, opinionId = `${roundId}-${input.submission}`;
  const joined = await insertOnce(() => deps.polls.OpinionParticipant.create({ _id: participantId, roundId, identityId: actor.identityId, studentId }));
  await insertOnce(() => deps.polls.Opinion.create({
    _id: opinionId, roundId, text, anonymous, studentId: anonymous ? "" : studentId, authorIdentityId: anonymous ? "" : actor.identityId, at,
  }));
  if ((await roundClosed(deps, roundId)) && !(await ensureFrozenSummary(deps, roundId)).opinionIds.includes(opinionId)) {
    await deps.polls.Opinion.deleteOne({ _id: opinionId });
    if (joined) await deps.polls.OpinionParticipant.deleteOne({ _id: participantId });
    return { status: "closed", round: toRoundView(d, true) };
  }
  return { status: "recorded", round: toRoundView(d) };
}
