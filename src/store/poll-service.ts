/**
 * Quick polls over MongoDB: creation with the scope's households snapshotted, ballots to
 * every guardian through the outbox, one vote document per (poll, household) — or per
 * (poll, household, option) for multiple choice — so two guardians pressing at the same
 * moment still count once, the live tally, closing early or at the deadline (a delayed job
 * that re-reads the poll) and the result to every household.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { OutboxItem, Clock } from "../engine/ports.js";
import type { Say } from "../engine/say.js";
import {
  ballotSay, resultSay, type BallotStudent, type ClosePollResult, type CreatePollResult, type GuardianBallot, type PollActor,
  type PollDeadlineScheduler, type PollDraft, type PollTally, type PollView, type VoteResult, type PollsPort,
} from "../engine/ports-polls.js";
import { deliverAfterQuietHours, mayOrganize } from "../domain/poll.js";
import { isDuplicateKey, type Models } from "./models.js";
import type { PollModels } from "./poll-models.js";
import { addressOf, householdsOf, scopeNameOf, shortIdFor, studentsInScope } from "./audience.js";

export interface PollServiceDeps {
  models: Models;
  polls: PollModels;
  outbox: { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> };
  scheduler: PollDeadlineScheduler;
  clock: Clock;
  timeZone?: string;
}

/** A deadline job that fires this much before the stored deadline (clock skew between hosts) still closes. */
export const DEADLINE_TOLERANCE_MS = 60_000;

type PollDoc = {
  _id: string; schoolId: string; scope: string; classGroupId: string; scopeName: string; question: string; options: string[];
  multiple: boolean; anonymity: string; closesAt: Date; status: string; resultQueuedAt?: Date | null; organizerIdentityId: string;
  studentIds: string[]; voterSecret: string;
};

export function toPollView(d: PollDoc): PollView {
  return {
    id: d._id, question: d.question, options: [...d.options], multiple: d.multiple, anonymity: d.anonymity === "anonymous" ? "anonymous" : "visible",
    scope: d.scope === "school" ? "school" : "class", scopeName: d.scopeName, closesAt: new Date(d.closesAt), status: d.status === "open" ? "open" : "closed",
  };
}

type PollService = Omit<PollsPort, "openRound" | "listOrganizedRounds" | "roundsForGuardian" | "submitOpinion" | "opinions" | "exportOpinionsCsv" | "closeRound">;

/** Creates the poll half of the port, plus the deadline job's processor. */
export function createPollService(deps: PollServiceDeps): PollService & { runPollDeadline(pollId: string): Promise<"closed" | "skipped"> } {
  const { models, polls: P, clock } = deps;
  const tz = deps.timeZone ?? "Asia/Ho_Chi_Minh";
  const load = async (id: string) => (await P.Poll.findById(id).lean()) as PollDoc | null;
  const organized = async (actor: PollActor, id: string) => {
    const d = await load(id);
    return d && d.organizerIdentityId === actor.identityId ? d : undefined;
  };

  /** Anonymous polls key votes by an HMAC of the student id under the poll's own secret. */
  const voterKey = (d: PollDoc, studentId: string) =>
    d.anonymity === "anonymous" ? createHmac("sha256", d.voterSecret).update(studentId).digest("hex").slice(0, 32) : studentId;

  const chosenOf = async (pollId: string, key: string): Promise<number[]> =>
    (await P.PollVote.find({ pollId, voterKey: key }).lean()).map((v) => v.option).sort((a, b) => a - b);

  const tallyOf = async (d: PollDoc): Promise<PollTally> => {
    const votes = await P.PollVote.find({ pollId: d._id }).lean();
    const counts = d.options.map((_, i) => votes.filter((v) => v.option === i).length);
    const voted = new Set(votes.map((v) => v.voterKey)).size;
    const tally: PollTally = { poll: toPollView(d), counts, voted, households: d.studentIds.length };
    if (d.anonymity !== "anonymous") {
      const names = new Map((await models.Student.find({ _id: { $in: [...new Set(votes.map((v) => v.studentId))] } }).lean()).map((s) => [s._id, s.fullName]));
      tally.voters = d.studentIds.filter((id) => votes.some((v) => v.studentId === id)).map((id) => ({
        studentName: names.get(id) ?? "?", chosen: votes.filter((v) => v.studentId === id).map((v) => v.option).sort((a, b) => a - b),
      }));
    }
    return tally;
  };

  /** Sends the result once per guardian in scope and to the organizer (deterministic keys: a retry never sends twice). */
  const publishResult = async (d: PollDoc) => {
    const tally = await tallyOf(d);
    const messages: Say[] = [resultSay(tally)];
    const now = clock.now(), after = deliverAfterQuietHours(now, tz);
    const notBefore = after > now ? { notBefore: after } : {};
    const recipients = new Map<string, OutboxItem>();
    for (const h of await householdsOf(models, d.studentIds))
      for (const g of h.guardians) recipients.set(g.identityId, { key: `poll-result-${d._id}-${g.identityId}`, recipient: g.address, messages, ...notBefore });
    const organizer = await addressOf(models, d.organizerIdentityId);
    if (organizer) recipients.set(d.organizerIdentityId, { key: `poll-result-${d._id}-${d.organizerIdentityId}`, recipient: organizer, messages, ...notBefore });
    await deps.outbox.enqueueGroup(`poll-result-${d._id}`, [...recipients.values()]);
    await P.Poll.updateOne({ _id: d._id }, { $set: { resultQueuedAt: clock.now() } });
    return tally;
  };

  /** Closes once (status compare-and-set), erases the anonymity secret, then publishes. */
  const close = async (d: PollDoc): Promise<{ first: boolean; tally: PollTally }> => {
    const first = d.status === "open"
      ? (await P.Poll.updateOne({ _id: d._id, status: "open" }, { $set: { status: "closed", closedAt: clock.now(), voterSecret: "" } })).modifiedCount === 1
      : false;
    const now = (await load(d._id))!;
    const tally = now.resultQueuedAt ? await tallyOf(now) : await publishResult(now);
    return { first, tally };
  };

  return {
    async createPoll(actor, draft: PollDraft, eventId): Promise<CreatePollResult> {
      if (!mayOrganize(actor.roles, "poll", draft.scope)) return { status: "forbidden" };
      const now = clock.now();
      if (draft.closesAt.getTime() <= now.getTime()) return { status: "past" };
      const id = shortIdFor("p", eventId);
      let d = await load(id);
      if (!d) {
        const students = await studentsInScope(models, draft.scope);
        try {
          await P.Poll.create({
            _id: id, schoolId: draft.scope.schoolId, scope: draft.scope.kind, classGroupId: draft.scope.kind === "class" ? draft.scope.classGroupId : "",
            scopeName: await scopeNameOf(models, draft.scope), question: draft.question, options: draft.options, multiple: draft.multiple,
            anonymity: draft.anonymity, closesAt: draft.closesAt, status: "open", organizerIdentityId: actor.identityId,
            studentIds: students.map((s) => s._id), voterSecret: draft.anonymity === "anonymous" ? randomBytes(32).toString("hex") : "", createdAt: now,
          });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
        d = (await load(id))!;
      }
      await deps.scheduler.schedule("poll", id, new Date(d.closesAt));
      const view = toPollView(d);
      const notBefore = deliverAfterQuietHours(now, tz);
      const households = await householdsOf(models, d.studentIds);
      const items: OutboxItem[] = [];
      for (const h of households) {
        const idx = d.studentIds.indexOf(h.studentId);
        for (const g of h.guardians)
          items.push({ key: `poll-${id}-${idx}-${g.identityId}`, recipient: g.address, messages: [ballotSay(view, { idx, studentName: h.studentName, chosen: [] })],
            ...(notBefore > now ? { notBefore } : {}) });
      }
      await deps.outbox.enqueueGroup(`poll-${id}`, items);
      return { status: "created", poll: view, households: d.studentIds.length, reached: households.filter((h) => h.guardians.length > 0).length };
    },

    async listOrganizedPolls(actor) {
      const docs = (await P.Poll.find({ organizerIdentityId: actor.identityId }).sort({ createdAt: -1 }).limit(20).lean()) as PollDoc[];
      const views = docs.map(toPollView);
      return [...views.filter((v) => v.status === "open"), ...views.filter((v) => v.status !== "open").slice(0, 5)];
    },

    async ballots(actor): Promise<GuardianBallot[]> {
      const mine = new Map(actor.roles.guardianOf.map((g) => [g.studentId, g.studentName]));
      if (mine.size === 0) return [];
      const now = clock.now();
      const schools = [...new Set(actor.roles.guardianOf.map((g) => g.schoolId))];
      const docs = ((await P.Poll.find({ schoolId: { $in: schools }, status: "open" }).sort({ closesAt: 1 }).lean()) as PollDoc[])
        .filter((d) => new Date(d.closesAt) > now);
      const out: GuardianBallot[] = [];
      for (const d of docs) {
        const students: BallotStudent[] = [];
        for (const [idx, studentId] of d.studentIds.entries()) {
          const name = mine.get(studentId);
          if (name !== undefined) students.push({ idx, studentName: name, chosen: await chosenOf(d._id, voterKey(d, studentId)) });
        }
        if (students.length > 0) out.push({ poll: toPollView(d), students });
      }
      return out;
    },

    async vote(actor, pollId, studentIdx, option, remove): Promise<VoteResult> {
      const d = await load(pollId);
      const studentId = d?.studentIds[studentIdx];
      const child = studentId ? actor.roles.guardianOf.find((g) => g.studentId === studentId) : undefined;
      if (!d || !studentId || !child || !Number.isInteger(option) || option < 0 || option >= d.options.length) return { status: "not-found" };
      if (d.status !== "open" || new Date(d.closesAt).getTime() <= clock.now().getTime()) return { status: "closed", poll: toPollView(d) };
      const key = voterKey(d, studentId);
      const fields = { pollId, voterKey: key, option, studentId: d.anonymity === "anonymous" ? "" : studentId };
      if (!d.multiple) {
        // One document per household: concurrent first votes race on the insert; the loser
        // of that race (duplicate key) writes again as a plain update. Last press wins.
        const write = () => P.PollVote.updateOne({ _id: `${pollId}-${key}` }, { $set: fields }, { upsert: true });
        try {
          await write();
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          await write();
        }
      } else if (remove) {
        await P.PollVote.deleteOne({ _id: `${pollId}-${key}-${option}` });
      } else {
        try {
          await P.PollVote.create({ _id: `${pollId}-${key}-${option}`, ...fields });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err; // already chosen by the other guardian: nothing to do
        }
      }
      return { status: "recorded", poll: toPollView(d), student: { idx: studentIdx, studentName: child.studentName, chosen: await chosenOf(pollId, key) } };
    },

    async tally(actor, pollId) {
      const d = await organized(actor, pollId);
      return d ? tallyOf(d) : undefined;
    },

    async closePoll(actor, pollId): Promise<ClosePollResult> {
      const d = await organized(actor, pollId);
      if (!d) return { status: "not-found" };
      const { first, tally } = await close(d);
      return first ? { status: "closed", tally } : { status: "already-closed", tally };
    },

    async runPollDeadline(pollId) {
      const d = await load(pollId);
      if (!d || (d.status !== "open" && d.resultQueuedAt)) return "skipped";
      // Fired before the deadline (clock skew): fail, so BullMQ retries with backoff.
      if (new Date(d.closesAt).getTime() - DEADLINE_TOLERANCE_MS > clock.now().getTime()) throw new Error(`poll ${pollId} deadline not reached yet`);
      await close(d);
      return "closed";
    },
  };
}
