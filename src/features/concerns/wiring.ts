/**
 * Wiring of the concerns feature: its models on the app's connection, the use cases over the
 * store, the clock queue and the outbox; the clock/digest worker in the worker roles; the
 * quarter-hour digest tick (each school at its own 07:00) and the minute sweep of tickets waiting for a teacher to link; the
 * reconciler that rebuilds clock jobs from MongoDB; the eraser for /xoadulieu.
 */
import type { FeatureDeps, FeatureWiring } from "../../app/feature.js";
import type { ConcernsPort } from "./port.js";
import { registerConcernModels, ensureConcernIndexes } from "../../store/concern-models.js";
import { eraseConcernsOf } from "../../store/concern-tickets.js";
import { createConcernClockScheduler, scheduleConcernAssign, scheduleConcernDigest, startConcernWorker } from "../../jobs/concern-clocks.js";
import { QUEUES } from "../../jobs/queues.js";
import { createConcerns } from "./index.js";

export function wireConcerns(deps: FeatureDeps): FeatureWiring<ConcernsPort> {
  const concerns = registerConcernModels(deps.db.conn);
  const queue = deps.queues.get(QUEUES.concernClocks);
  const service = createConcerns({
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
    erasers: [async ({ identityId }) => (identityId ? eraseConcernsOf(deps.db.models, concerns, identityId) : {})],
    reconcile: service.reconcile,
  };
}
