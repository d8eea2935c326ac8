import { describe, it, expect, beforeAll } from "vitest";
import { createPolls, optionLines, type ClosePollResult, type PollView, type VoteResult } from "../../src/features/polls/index.js";
import { currentVotes } from "../../src/features/polls/votes.js";
import { race, expectOneWinner, isRaceError } from "../support/race.js";
import { seedSchool, actorFor, type SeededSchool } from "./seed.js";
import { usePollStore, lateCreates } from "./poll-store.js";

const VOTERS = 8, CLOSERS = 3;

describe("closing a poll while households vote (the race kit against the real server)", () => {
  const { db, P, sent, deps } = usePollStore("poll-close-race");
  let school: SeededSchool;
  let polls: ReturnType<typeof createPolls>;
  /** The same use cases over a vote model whose inserts (for some households) wait until the poll's result is frozen. */
  let latePolls: ReturnType<typeof createPolls>;

  beforeAll(async () => {
    const names = Array.from({ length: VOTERS }, (_, i) => `Học Sinh ${String.fromCharCode(65 + i)}`);
    school = await seedSchool(db.models, {
      account: "bot", studentNames: names, boardUser: "board",
      guardians: Object.fromEntries(names.map((_, i) => [`g${i}`, [i]])),
    });
    polls = createPolls(deps());
    // Forces the interleaving a naive close misses: the vote passed its "still open?" check, the
    // close decided and froze its result, and only then does the vote's insert land.
    const lateVotes = lateCreates(P.PollVote, async (doc: { pollId: string }) => !!(await P.PollResult.exists({ _id: doc.pollId })), "frozen result");
    latePolls = createPolls({ ...deps(), polls: { ...P, PollVote: lateVotes } });
  });

  for (const [round, kind, late] of [[1, "anonymous", false], [2, "visible", false], [3, "anonymous", false], [4, "visible", false], [5, "anonymous", true], [6, "visible", true]] as const)
    it(`round ${round} (${kind}${late ? ", half of the votes land after the result froze" : ""}): one close wins, and the published result is exactly the stored votes`, async () => {
      const board = await actorFor(db.models, school, "board");
      const created = await polls.createPoll(board, {
        scope: { kind: "class", schoolId: school.schoolId, classGroupId: school.classId, className: "6A1" },
        question: `Vòng ${round}`, options: ["Có", "Không", "Chưa biết"], multiple: false, anonymity: kind, closesAt: new Date("2026-12-20T10:00:00Z"),
      }, `ev-race-${round}`);
      if (created.status !== "created") throw new Error(created.status);
      const poll: PollView = created.poll;
      const voters = await Promise.all(Array.from({ length: VOTERS }, (_, i) => actorFor(db.models, school, `g${i}`)));
      const idxOf = (i: number) => school.students.findIndex((s) => s.name === `Học Sinh ${String.fromCharCode(65 + i)}`);

      // Closers are spread among the voters so they start at different points of the race; each voter votes for its own household.
      const closerAt = new Set(Array.from({ length: CLOSERS }, (_, c) => (round + 4 * c) % (VOTERS + CLOSERS)));
      const plan = Array.from({ length: VOTERS + CLOSERS }, (_, i) => i).map((i) => (closerAt.has(i) ? -1 : i - [...closerAt].filter((c) => c < i).length));
      const results = await race(plan.length, (i): Promise<VoteResult | ClosePollResult> => {
        const v = plan[i]!;
        if (v < 0) return polls.closePoll(board, poll.id);
        return (late && v % 2 === 0 ? latePolls : polls).vote(voters[v]!, poll.id, idxOf(v), v % 3, false);
      });
      expect(results.filter(isRaceError)).toEqual([]);
      expectOneWinner(results, (r) => "tally" in r && r.status === "closed");
      const votes = results.filter((r): r is VoteResult => !isRaceError(r) && !("tally" in r));

      // What is stored after the race: the households' current votes.
      const stored = currentVotes((await P.PollVote.find({ pollId: poll.id }).lean()) as never).filter((v) => v.chosen.length > 0);
      const counts = poll.options.map((_, o) => stored.filter((v) => v.chosen.includes(o)).length);
      const published = sent.filter((s) => s.group === `poll-result-${poll.id}`).flatMap((s) => s.items);
      expect(published.length).toBeGreaterThan(0);
      for (const item of published) expect(item.messages[0]!.args).toMatchObject({ results: optionLines(poll, counts), voted: stored.length });

      // Each vote is either counted (and reported recorded) or refused (and not stored).
      const recorded = votes.filter((r) => r.status === "recorded").length;
      expect(votes.filter((r) => r.status === "closed").length + recorded).toBe(VOTERS);
      expect(stored.length).toBe(recorded);
      // A vote whose insert landed after the result froze is refused, never stored uncounted.
      if (late) for (const [i, v] of plan.entries()) if (v >= 0 && v % 2 === 0) expect((results[i] as VoteResult).status).toBe("closed");
      // A vote after the race is refused and changes nothing.
      expect((await polls.vote(voters[0]!, poll.id, idxOf(0), 2, false)).status).toBe("closed");
      expect(await P.PollVote.countDocuments({ pollId: poll.id })).toBe(stored.length);
    });
});
