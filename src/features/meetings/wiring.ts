/**
 * Wiring of the meetings feature: its models on the app's connection, the port over the store,
 * the reminder queue and the outbox; the reminder worker in the worker roles; the reconciler
 * that rebuilds reminder jobs from MongoDB; the eraser for /xoadulieu.
 */
import type { FeatureDeps, FeatureWiring } from "../../app/feature.js";
import type { MeetingsPort } from "./port.js";
import { registerMeetingModels, ensureMeetingIndexes } from "../../store/meeting-models.js";
import { createReminderScheduler, startReminderWorker } from "../../jobs/meeting-reminders.js";
import { QUEUES } from "../../jobs/queues.js";
import { meetingEraser, meetingsPort } from "./index.js";

export function wireMeetings(deps: FeatureDeps): FeatureWiring<MeetingsPort> {
  const meetings = registerMeetingModels(deps.db.conn);
  const service = meetingsPort({
    models: deps.db.models,
    meetings,
    outbox: deps.outbox,
    scheduler: createReminderScheduler(deps.queues.get(QUEUES.meetingReminders), deps.clock),
    clock: deps.clock,
    timeZone: deps.config.timeZone,
  });
  return {
    service,
    init: () => ensureMeetingIndexes(meetings),
    startWorkers: () => [startReminderWorker({ connection: deps.workerConnection, prefix: deps.queuePrefix, run: service.runReminder, logger: deps.logger })],
    erasers: [meetingEraser(meetings, deps.db.models)],
    reconcile: () => service.reconcile(),
  };
}
