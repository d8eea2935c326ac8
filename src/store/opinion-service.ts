/**
 * Opinion rounds over MongoDB: a round on a topic for a class or the school, an invitation
 * to every guardian through the outbox, any number of opinions per household (optionally
 * anonymous: the opinion then stores neither the student nor the writer), the organizer's
 * list and CSV export, and a short summary to the participants when the round closes.
 */
import { createHash } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import type { OutboxItem } from "../engine/ports.js";
import { say } from "../engine/say.js";
import {
  opinionPayload, roundArgs, type CloseRoundResult, type GuardianRound, type OpenRoundResult, type OpinionView, type PollActor,
  type PollsPort, type RoundDraft, type RoundSummary, type RoundView, type SubmitOpinionResult,
} from "../engine/ports-polls.js";
import { deliverAfterQuietHours, mayOrganize } from "../domain/poll.js";
import { localParts } from "../domain/time.js";
import { isDuplicateKey } from "./models.js";
import type { PollModels } from "./poll-models.js";
import { addressOf, householdsOf, scopeNameOf, shortIdFor, studentsInScope } from "./audience.js";
import { DEADLINE_TOLERANCE_MS, type PollServiceDeps } from "./poll-service.js";

/** Opinion rounds need exactly what polls need (same models, outbox, deadline jobs). */
export type OpinionServiceDeps = PollServiceDeps;

type RoundDoc = {
  _id: string; schoolId: string; scope: string; classGroupId: string; scopeName: string; topic: string; closesAt: Date; status: string;
  summaryQueuedAt?: Date | null; organizerIdentityId: string; studentIds: string[];
};

function toRoundView(d: RoundDoc): RoundView {
  return { id: d._id, topic: d.topic, scope: d.scope === "school" ? "school" : "class", scopeName: d.scopeName, closesAt: new Date(d.closesAt), status: d.status === "open" ? "open" : "closed" };
}

type OpinionService = Pick<PollsPort, "openRound" | "listOrganizedRounds" | "roundsForGuardian" | "submitOpinion" | "opinions" | "exportOpinionsCsv" | "closeRound">;

/** Creates the opinion-round half of the port, plus the deadline job's processor. */
export function createOpinionService(deps: OpinionServiceDeps): OpinionService & { runRoundDeadline(roundId: string): Promise<"closed" | "skipped"> } {
  const { models, polls: P, clock } = deps;
  const tz = deps.timeZone ?? "Asia/Ho_Chi_Minh";
  const load = async (id: string) => (await P.OpinionRound.findById(id).lean()) as RoundDoc | null;
  const organized = async (actor: PollActor, id: string) => {
    const d = await load(id);
    return d && d.organizerIdentityId === actor.identityId ? d : undefined;
  };

  const listOpinions = async (d: RoundDoc): Promise<OpinionView[]> => {
    const docs = await P.Opinion.find({ roundId: d._id }).sort({ at: 1 }).lean();
    const names = new Map((await models.Student.find({ _id: { $in: docs.map((o) => o.studentId).filter(Boolean) } }).lean()).map((s) => [s._id, s.fullName]));
    return docs.map((o) => ({ at: new Date(o.at), text: o.text, studentName: o.anonymous ? "" : (names.get(o.studentId) ?? "") }));
  };

  const summaryOf = async (d: RoundDoc): Promise<RoundSummary> => {
    const docs = await P.Opinion.find({ roundId: d._id }).lean();
    const households = new Set((await P.OpinionParticipant.find({ roundId: d._id }).lean()).map((p) => p.studentId)).size;
    const anonymous = docs.filter((o) => o.anonymous).length;
    return { round: toRoundView(d), opinions: docs.length, households, anonymous, named: docs.length - anonymous };
  };

  /** Sends the summary once to every participant and the organizer (deterministic keys). */
  const publishSummary = async (d: RoundDoc) => {
    const summary = await summaryOf(d);
    const messages = [say("opinion-summary", { ...roundArgs(summary.round), opinions: summary.opinions, households: summary.households, anonymous: summary.anonymous, named: summary.named })];
    const ids = new Set((await P.OpinionParticipant.find({ roundId: d._id }).lean()).map((p) => p.identityId));
    ids.add(d.organizerIdentityId);
    const now = clock.now(), after = deliverAfterQuietHours(now, tz);
    const items: OutboxItem[] = [];
    for (const identityId of ids) {
      const recipient = await addressOf(models, identityId);
      if (recipient) items.push({ key: `opinion-summary-${d._id}-${identityId}`, recipient, messages, ...(after > now ? { notBefore: after } : {}) });
    }
    await deps.outbox.enqueueGroup(`opinion-summary-${d._id}`, items);
    await P.OpinionRound.updateOne({ _id: d._id }, { $set: { summaryQueuedAt: clock.now() } });
    return summary;
  };

  const close = async (d: RoundDoc) => {
    const first = d.status === "open"
      ? (await P.OpinionRound.updateOne({ _id: d._id, status: "open" }, { $set: { status: "closed", closedAt: clock.now() } })).modifiedCount === 1
      : false;
    const now = (await load(d._id))!;
    return { first, summary: now.summaryQueuedAt ? await summaryOf(now) : await publishSummary(now) };
  };

  const pad = (n: number) => String(n).padStart(2, "0");
  const stamp = (at: Date) => {
    const p = localParts(at, tz);
    return `${pad(p.day)}/${pad(p.month)}/${p.year} ${pad(p.hour)}:${pad(p.minute)}`;
  };

  return {
    async openRound(actor, draft: RoundDraft, eventId): Promise<OpenRoundResult> {
      if (!mayOrganize(actor.roles, "opinion", draft.scope)) return { status: "forbidden" };
      const now = clock.now();
      if (draft.closesAt.getTime() <= now.getTime()) return { status: "past" };
      const id = shortIdFor("o", eventId);
      let d = await load(id);
      if (!d) {
        const students = await studentsInScope(models, draft.scope);
        try {
          await P.OpinionRound.create({
            _id: id, schoolId: draft.scope.schoolId, scope: draft.scope.kind, classGroupId: draft.scope.kind === "class" ? draft.scope.classGroupId : "",
            scopeName: await scopeNameOf(models, draft.scope), topic: draft.topic, closesAt: draft.closesAt, status: "open",
            organizerIdentityId: actor.identityId, studentIds: students.map((s) => s._id), createdAt: now,
          });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
        d = (await load(id))!;
      }
      await deps.scheduler.schedule("opinion", id, new Date(d.closesAt));
      const view = toRoundView(d);
      const notBefore = deliverAfterQuietHours(now, tz);
      const households = await householdsOf(models, d.studentIds);
      const guardians = new Map<string, OutboxItem>();
      for (const h of households)
        for (const g of h.guardians)
          guardians.set(g.identityId, { key: `opinion-${id}-${g.identityId}`, recipient: g.address, ...(notBefore > now ? { notBefore } : {}),
            messages: [say("opinion-invite", roundArgs(view), [[{ key: "opinion-write-button", payload: opinionPayload(id) }]])] });
      await deps.outbox.enqueueGroup(`opinion-${id}`, [...guardians.values()]);
      return { status: "opened", round: view, households: d.studentIds.length, reached: households.filter((h) => h.guardians.length > 0).length };
    },

    async listOrganizedRounds(actor) {
      const docs = (await P.OpinionRound.find({ organizerIdentityId: actor.identityId }).sort({ createdAt: -1 }).limit(20).lean()) as RoundDoc[];
      const views = docs.map(toRoundView);
      return [...views.filter((v) => v.status === "open"), ...views.filter((v) => v.status !== "open").slice(0, 5)];
    },

    async roundsForGuardian(actor): Promise<GuardianRound[]> {
      if (actor.roles.guardianOf.length === 0) return [];
      const now = clock.now();
      const schools = [...new Set(actor.roles.guardianOf.map((g) => g.schoolId))];
      const docs = ((await P.OpinionRound.find({ schoolId: { $in: schools }, status: "open" }).sort({ closesAt: 1 }).lean()) as RoundDoc[])
        .filter((d) => new Date(d.closesAt) > now);
      return docs
        .map((d) => ({ round: toRoundView(d), students: actor.roles.guardianOf.filter((g) => d.studentIds.includes(g.studentId)).map((g) => ({ studentId: g.studentId, studentName: g.studentName })) }))
        .filter((r) => r.students.length > 0);
    },

    async submitOpinion(actor, roundId, studentId, text, anonymous, eventId): Promise<SubmitOpinionResult> {
      const d = await load(roundId);
      if (!d || !d.studentIds.includes(studentId) || !actor.roles.guardianOf.some((g) => g.studentId === studentId)) return { status: "not-found" };
      if (d.status !== "open" || new Date(d.closesAt).getTime() <= clock.now().getTime()) return { status: "closed", round: toRoundView(d) };
      const opinionId = `${roundId}-${createHash("sha256").update(eventId).digest("hex").slice(0, 20)}`;
      await P.Opinion.updateOne({ _id: opinionId }, {
        $setOnInsert: { roundId, text, anonymous, studentId: anonymous ? "" : studentId, authorIdentityId: anonymous ? "" : actor.identityId, at: clock.now() },
      }, { upsert: true });
      const participant = { roundId, identityId: actor.identityId, studentId };
      await P.OpinionParticipant.updateOne({ _id: `${roundId}-${actor.identityId}` }, { $setOnInsert: participant }, { upsert: true }).catch((err) => {
        if (!isDuplicateKey(err)) throw err;
      });
      return { status: "recorded", round: toRoundView(d) };
    },

    async opinions(actor, roundId) {
      const d = await organized(actor, roundId);
      return d ? { round: toRoundView(d), opinions: await listOpinions(d) } : undefined;
    },

    async exportOpinionsCsv(actor, roundId) {
      const d = await organized(actor, roundId);
      if (!d) return undefined;
      const rows = (await listOpinions(d)).map((o, i) => [i + 1, stamp(o.at), o.studentName ? `Phụ huynh em ${o.studentName}` : "", o.text]);
      return stringify([["stt", "thoi_gian", "ho_gia_dinh", "y_kien"], ...rows]);
    },

    async closeRound(actor, roundId): Promise<CloseRoundResult> {
      const d = await organized(actor, roundId);
      if (!d) return { status: "not-found" };
      const { first, summary } = await close(d);
      return first ? { status: "closed", summary } : { status: "already-closed", summary };
    },

    async runRoundDeadline(roundId) {
      const d = await load(roundId);
      if (!d || (d.status !== "open" && d.summaryQueuedAt)) return "skipped";
      if (new Date(d.closesAt).getTime() - DEADLINE_TOLERANCE_MS > clock.now().getTime()) throw new Error(`round ${roundId} deadline not reached yet`);
      await close(d);
      return "closed";
    },
  };
}

/** Deletes a person's data in the poll collections (/xoadulieu). Votes hold no link to a guardian. */
export function pollEraser(P: PollModels) {
  return async ({ identityId }: { identityId?: string }): Promise<Record<string, number>> => {
    if (!identityId) return {};
    const participants = await P.OpinionParticipant.deleteMany({ identityId });
    const opinions = await P.Opinion.deleteMany({ authorIdentityId: identityId });
    const polls = await P.Poll.updateMany({ organizerIdentityId: identityId }, { $set: { organizerIdentityId: "erased" } });
    const rounds = await P.OpinionRound.updateMany({ organizerIdentityId: identityId }, { $set: { organizerIdentityId: "erased" } });
    return {
      opinionParticipants: participants.deletedCount ?? 0, namedOpinions: opinions.deletedCount ?? 0,
      pollsDetached: polls.modifiedCount ?? 0, opinionRoundsDetached: rounds.modifiedCount ?? 0,
    };
  };
}
