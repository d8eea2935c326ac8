/** Opening an opinion round: the scope's households snapshotted, the deadline job, one invitation per guardian. */
import { isDuplicateKey } from "../../store/models.js";
import { householdsOf, scopeNameOf, shortIdFor, studentsInScope } from "../../store/audience.js";
import { mayOrganize } from "../../domain/poll.js";
import type { OutboxItem } from "../../engine/ports.js";
import type { PollActor } from "../polls/port.js";
import { nightHold } from "../polls/deps.js";
import { loadRound, toRoundView, type OpinionDeps, type RoundDoc } from "./deps.js";
import { inviteSay } from "./messages.js";
import type { OpenRoundResult, RoundDraft } from "./port.js";

/** Stores the round once per opening event. */
async function storeRound(deps: OpinionDeps, actor: PollActor, draft: RoundDraft, id: string): Promise<RoundDoc> {
  const existing = await loadRound(deps, id);
  if (existing) return existing;
  const students = await studentsInScope(deps.models, draft.scope);
  try {
    await deps.polls.OpinionRound.create({
      _id: id, schoolId: draft.scope.schoolId, scope: draft.scope.kind, classGroupId: draft.scope.kind === "class" ? draft.scope.classGroupId : "",
      scopeName: await scopeNameOf(deps.models, draft.scope), topic: draft.topic, closesAt: draft.closesAt, status: "open",
      organizerIdentityId: actor.identityId, studentIds: students.map((s) => s._id), createdAt: deps.clock.now(),
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  return (await loadRound(deps, id))!;
}

/** Opens a round and invites every guardian in scope (held through the school's night). Idempotent per `eventId`. */
export async function openRound(deps: OpinionDeps, actor: PollActor, draft: RoundDraft, eventId: string): Promise<OpenRoundResult> {
  if (!mayOrganize(actor.roles, "opinion", draft.scope)) return { status: "forbidden" };
  if (draft.closesAt.getTime() <= deps.clock.now().getTime()) return { status: "past" };
  const d = await storeRound(deps, actor, draft, shortIdFor("o", eventId));
  await deps.scheduler.schedule("opinion", d._id, new Date(d.closesAt));
  const view = toRoundView(d);
  const hold = await nightHold(deps, d.schoolId);
  const households = await householdsOf(deps.models, d.studentIds);
  const guardians = new Map<string, OutboxItem>();
  for (const h of households)
    for (const g of h.guardians) guardians.set(g.identityId, { key: `opinion-${d._id}-${g.identityId}`, recipient: g.address, messages: [inviteSay(view)], ...hold });
  await deps.outbox.enqueueGroup(`opinion-${d._id}`, [...guardians.values()]);
  return { status: "opened", round: view, households: d.studentIds.length, reached: households.filter((h) => h.guardians.length > 0).length };
}
