/**
 * Wiring of the quick-polls and opinion-rounds feature: its models on the app's connection,
 * the two services over the store, the deadline queue and worker, the outbox, the eraser.
 */
import type { FeatureDeps, FeatureWiring } from "./feature.js";
import type { PollsPort } from "../engine/ports-polls.js";
import { registerPollModels, ensurePollIndexes } from "../store/poll-models.js";
import { createPollService } from "../store/poll-service.js";
import { createOpinionService, pollEraser } from "../store/opinion-service.js";
import { createPollDeadlineScheduler, startPollDeadlineWorker, POLL_DEADLINES_QUEUE } from "../jobs/poll-deadlines.js";

export function wirePolls(deps: FeatureDeps): FeatureWiring<PollsPort> {
  const polls = registerPollModels(deps.db.conn);
  const scheduler = createPollDeadlineScheduler(deps.queues.get(POLL_DEADLINES_QUEUE), deps.clock);
  const common = { models: deps.db.models, polls, outbox: deps.outbox, scheduler, clock: deps.clock, timeZone: deps.config.timeZone };
  const pollService = createPollService(common);
  const opinionService = createOpinionService(common);
  const { runPollDeadline, ...pollPort } = pollService;
  const { runRoundDeadline, ...opinionPort } = opinionService;
  return {
    service: { ...pollPort, ...opinionPort },
    init: () => ensurePollIndexes(polls),
    startWorkers: () => [startPollDeadlineWorker({
      connection: deps.workerConnection, prefix: deps.queuePrefix, logger: deps.logger,
      run: (job) => (job.kind === "poll" ? runPollDeadline(job.id) : runRoundDeadline(job.id)),
    })],
    erasers: [pollEraser(polls)],
  };
}
