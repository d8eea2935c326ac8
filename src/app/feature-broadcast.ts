/**
 * Wiring of the notices feature (`/thongbao`): its models on the app's connection, the
 * service over the store, the `broadcasts` queue for scheduled sends and the outbox; the
 * scheduled-notice worker in the worker roles; the eraser for /xoadulieu.
 */
import type { FeatureDeps, FeatureWiring } from "./feature.js";
import type { BroadcastPort } from "../engine/ports-broadcast.js";
import { registerNoticeModels, ensureNoticeIndexes } from "../store/notice-models.js";
import { createNoticeService, noticeEraser } from "../store/notice-service.js";
import { createNoticeScheduler, startNoticeWorker } from "../jobs/notice-jobs.js";
import { QUEUES } from "../jobs/queues.js";
import { reportRefreshSay } from "../../flows/notice-manage.js";

export function wireBroadcast(deps: FeatureDeps): FeatureWiring<BroadcastPort> {
  const notices = registerNoticeModels(deps.db.conn);
  const service = createNoticeService({
    models: deps.db.models,
    notices,
    outbox: deps.outbox,
    scheduler: createNoticeScheduler(deps.queues.get(QUEUES.broadcasts), deps.clock),
    clock: deps.clock,
    timeZone: deps.config.timeZone,
    reportRefreshSay,
  });
  return {
    service,
    init: () => ensureNoticeIndexes(notices),
    startWorkers: () => [startNoticeWorker({ connection: deps.workerConnection, prefix: deps.queuePrefix, run: service.runScheduled, refresh: service.runReportRefresh, logger: deps.logger })],
    erasers: [noticeEraser(notices)],
  };
}
