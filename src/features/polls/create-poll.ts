/** Creating a poll: the scope's households snapshotted, the deadline job, a ballot per (child, guardian). */
import { randomBytes } from "node:crypto";
import { isDuplicateKey } from "../../store/models.js";
import { householdsOf, scopeNameOf, shortIdFor, studentsInScope } from "../../store/audience.js";
import { mayOrganize } from "../../domain/poll.js";
import type { OutboxItem } from "../../engine/ports.js";
import { loadPoll, nightHold, toPollView, type PollDeps, type PollDoc } from "./deps.js";
import { ballotSay } from "./messages.js";
import type { CreatePollResult, PollActor, PollDraft } from "./port.js";

/** Stores the poll once per creating event (a replayed event finds the same one). */
async function storePoll(deps: PollDeps, actor: PollActor, draft: PollDraft, id: string): Promise<PollDoc> {
  const existing = await loadPoll(deps, id);
  if (existing) return existing;
  const students = await studentsInScope(deps.models, draft.scope);
  try {
    await deps.polls.Poll.create({
      _id: id, schoolId: draft.scope.schoolId, scope: draft.scope.kind, classGroupId: draft.scope.kind === "class" ? draft.scope.classGroupId : "",
      scopeName: await scopeNameOf(deps.models, draft.scope), question: draft.question, options: draft.options, multiple: draft.multiple,
      anonymity: draft.anonymity, closesAt: draft.closesAt, status: "open", organizerIdentityId: actor.identityId,
      studentIds: students.map((s) => s._id), voterSecret: draft.anonymity === "anonymous" ? randomBytes(32).toString("hex") : "", createdAt: deps.clock.now(),
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  return (await loadPoll(deps, id))!;
}

/** Creates a poll and sends its ballots (held through the school's night). Idempotent per `eventId`. */
export async function createPoll(deps: PollDeps, actor: PollActor, draft: PollDraft, eventId: string): Promise<CreatePollResult> {
  if (!mayOrganize(actor.roles, "poll", draft.scope)) return { status: "forbidden" };
  if (draft.closesAt.getTime() <= deps.clock.now().getTime()) return { status: "past" };
  const d = await storePoll(deps, actor, draft, shortIdFor("p", eventId));
  await deps.scheduler.schedule("poll", d._id, new Date(d.closesAt));
  const view = toPollView(d);
  const hold = await nightHold(deps, d.schoolId);
  const households = await householdsOf(deps.models, d.studentIds);
  const items: OutboxItem[] = households.flatMap((h) => {
    const idx = d.studentIds.indexOf(h.studentId);
    return h.guardians.map((g) => ({ key: `poll-${d._id}-${idx}-${g.identityId}`, recipient: g.address, messages: [ballotSay(view, { idx, studentName: h.studentName, chosen: [] })], ...hold }));
  });
  await deps.outbox.enqueueGroup(`poll-${d._id}`, items);
  return { status: "created", poll: view, households: d.studentIds.length, reached: households.filter((h) => h.guardians.length > 0).length };
}
