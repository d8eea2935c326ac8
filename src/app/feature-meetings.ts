/**
 * Wiring of the meetings feature: its models on the app's connection, the service over the
 * store, the reminder queue, the outbox and a per-meeting Redis lock; the reminder worker in
 * the worker roles; the eraser for /xoadulieu.
 */
import type { FeatureDeps, FeatureWiring } from "./feature.js";
import type { MeetingsPort } from "../engine/ports-meetings.js";
import { registerMeetingModels, ensureMeetingIndexes } from "../store/meeting-models.js";
import { createMeetingService, meetingEraser } from "../store/meeting-service.js";
import { createReminderScheduler, startReminderWorker } from "../jobs/meeting-reminders.js";
import { createChatLock } from "../jobs/chat-lock.js";
import { QUEUES } from "../jobs/queues.js";

export function wireMeetings(deps: FeatureDeps): FeatureWiring<MeetingsPort> {
  const meetings = registerMeetingModels(deps.db.conn);
  const service = createMeetingService({
    models: deps.db.models,
    meetings,
    outbox: deps.outbox,
    scheduler: createReminderScheduler(deps.queues.get(QUEUES.meetingReminders), deps.clock),
    lock: createChatLock(deps.workerConnection, { prefix: `${deps.queuePrefix}:meeting` }),
    clock: deps.clock,
    timeZone: deps.config.timeZone,
  });
  return {
    service,
    init: () => ensureMeetingIndexes(meetings),
    startWorkers: () => [startReminderWorker({ connection: deps.workerConnection, prefix: deps.queuePrefix, run: service.runReminder, logger: deps.logger })],
    erasers: [meetingEraser(meetings)],
  };
}
