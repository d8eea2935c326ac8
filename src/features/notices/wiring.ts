/**
 * Wiring of the notices feature (`/thongbao`): its models on the app's connection, the use
 * cases over the store, the `broadcasts` queue for its jobs (scheduled sends, fan-outs, report
 * refreshes) and the outbox; the notice worker in the worker roles; reconcile; the eraser.
 */
import type { FeatureDeps, FeatureWiring } from "../../app/feature.js";
import type { BroadcastPort } from "./port.js";
import { registerNoticeModels, ensureNoticeIndexes, noticeEraser } from "../../store/notice-models.js";
import { createNoticeJobs, startNoticeWorker } from "../../jobs/notice-jobs.js";
import { QUEUES } from "../../jobs/queues.js";
import { createNotices } from "./index.js";
import { reportRefreshSay } from "./messages.js";

export function wireNotices(deps: FeatureDeps): FeatureWiring<BroadcastPort> {
  const notices = registerNoticeModels(deps.db.conn);
  const feature = createNotices({
    models: deps.db.models,
    notices,
    outbox: deps.outbox,
    jobs: createNoticeJobs(deps.queues.get(QUEUES.broadcasts), deps.clock),
    clock: deps.clock,
    timeZone: deps.config.timeZone,
    reportRefreshSay,
  });
  return {
    service: feature.port,
    init: () => ensureNoticeIndexes(notices),
    startWorkers: () => [startNoticeWorker({ connection: deps.workerConnection, prefix: deps.queuePrefix, handlers: feature.handlers, logger: deps.logger })],
    erasers: [noticeEraser(notices)],
    reconcile: feature.reconcile,
  };
}
