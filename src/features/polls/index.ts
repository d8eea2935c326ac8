/**
 * The quick-polls feature: the port assembled from its use cases, plus the deadline job's
 * processor. `createPolls(deps)` is what the wiring, the CLI and tests call.
 *
 * @example
 * const polls = createPolls({ models, polls: registerPollModels(conn), outbox, scheduler, clock });
 * await polls.vote(actor, pollId, 0, 1, false);
 */
import type { PollDeps } from "./deps.js";
import type { PollsPort } from "./port.js";
import { createPoll } from "./create-poll.js";
import { vote } from "./vote.js";
import { tally } from "./tally.js";
import { closePoll, runPollDeadline } from "./close-poll.js";
import { ballots, listOrganizedPolls } from "./list-polls.js";

export function createPolls(deps: PollDeps): PollsPort & { runPollDeadline(pollId: string): ReturnType<typeof runPollDeadline> } {
  return {
    createPoll: (actor, draft, eventId) => createPoll(deps, actor, draft, eventId),
    listOrganizedPolls: (actor) => listOrganizedPolls(deps, actor),
    ballots: (actor) => ballots(deps, actor),
    vote: (actor, pollId, studentIdx, option, remove) => vote(deps, actor, pollId, studentIdx, option, remove),
    tally: (actor, pollId) => tally(deps, actor, pollId),
    closePoll: (actor, pollId) => closePoll(deps, actor, pollId),
    runPollDeadline: (pollId) => runPollDeadline(deps, pollId),
  };
}

export type { PollDeps } from "./deps.js";
export * from "./port.js";
export * from "./messages.js";
export { pollEraser } from "./eraser.js";
export { reconcilePollDeadlines, reconcileRoundDeadlines } from "./reconcile.js";
