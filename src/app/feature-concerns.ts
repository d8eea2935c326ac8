/**
 * Wiring of the concerns feature: its models on the app's connection, the service over the
 * store, the clock queue and the outbox; the clock/digest worker in the worker roles; the
 * 07:00 digest scheduler and the minute sweep of tickets waiting for a teacher to link; the eraser for /xoadulieu.
 */
import type { FeatureDeps, FeatureWiring } from "./feature.js";
import type { ConcernsPort } from "../engine/ports-concerns.js";
import { registerConcernModels, ensureConcernIndexes } from "../store/concern-models.js";
import { createConcernService, concernEraser } from "../store/concern-service.js";
import { createConcernClockScheduler, scheduleConcernAssign, scheduleConcernDigest, startConcernWorker } from "../jobs/concern-clocks.js";
import { QUEUES } from "../jobs/queues.js";

export function wireConcerns(deps: FeatureDeps): FeatureWiring<ConcernsPort> {
  const concerns = registerConcernModels(deps.db.conn);
  const queue = deps.queues.get(QUEUES.concernClocks);
  const service = createConcernService({
    models: deps.db.models, concerns, outbox: deps.outbox, clock: deps.clock, timeZone: deps.config.timeZone,
    scheduler: createConcernClockScheduler(queue, deps.clock), logger: deps.logger,
  });
  return {
    service,
    init: () => ensureConcernIndexes(concerns),
    schedule: async () => {
      await scheduleConcernDigest(queue, deps.config.timeZone);
      await scheduleConcernAssign(queue, deps.config.timeZone);
    },
    startWorkers: () => [startConcernWorker({
      connection: deps.workerConnection, prefix: deps.queuePrefix, runClock: service.runClock, runDigest: service.runDigest, runAssign: service.runAssign, logger: deps.logger,
    })],
    erasers: [concernEraser(concerns)],
  };
}
