/**
 * Wiring of quick polls and opinion rounds (one deadline queue and worker for both): their
 * models on the app's connection, the two ports over the store, the outbox, the eraser, and the
 * reconciler that rebuilds every open poll's and round's deadline job from MongoDB.
 */
import type { FeatureDeps, FeatureWiring } from "../../app/feature.js";
import { registerPollModels, ensurePollIndexes } from "../../store/poll-models.js";
import { createPollDeadlineScheduler, startPollDeadlineWorker, POLL_DEADLINES_QUEUE } from "../../jobs/poll-deadlines.js";
import type { PollDeps } from "./deps.js";
import type { PollsPort } from "./port.js";
import type { OpinionsPort } from "../opinions/port.js";
import { createPolls, pollEraser, reconcilePollDeadlines, reconcileRoundDeadlines } from "./index.js";
import { createOpinions } from "../opinions/index.js";

/** What flows see as `services.polls`: polls and opinion rounds. */
export type PollsAndOpinionsPort = PollsPort & OpinionsPort;

export function wirePolls(deps: FeatureDeps, options: Pick<PollDeps, "deadlineToleranceMs"> = {}): FeatureWiring<PollsAndOpinionsPort> {
  const polls = registerPollModels(deps.db.conn);
  const scheduler = createPollDeadlineScheduler(deps.queues.get(POLL_DEADLINES_QUEUE), deps.clock);
  const common: PollDeps = { models: deps.db.models, polls, outbox: deps.outbox, scheduler, clock: deps.clock, timeZone: deps.config.timeZone, ...options };
  const { runPollDeadline, ...pollPort } = createPolls(common);
  const { runRoundDeadline, ...opinionPort } = createOpinions(common);
  return {
    service: { ...pollPort, ...opinionPort },
    init: () => ensurePollIndexes(polls),
    startWorkers: () => [startPollDeadlineWorker({
      connection: deps.workerConnection, prefix: deps.queuePrefix, logger: deps.logger,
      run: (job) => (job.kind === "poll" ? runPollDeadline(job.id) : runRoundDeadline(job.id)),
    })],
    erasers: [pollEraser(polls)],
    reconcile: async () => (await reconcilePollDeadlines(common)) + (await reconcileRoundDeadlines(common)),
  };
}
