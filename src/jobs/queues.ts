/**
 * Queue names and typed job payloads, in one place. Payloads carry ids only: message texts,
 * phone numbers and tokens never go into Redis.
 */
export const QUEUES = {
  /** One job per recipient of anything sent at scale; rate-limited for every worker together. */
  outbox: "outbox",
  /** Delayed meeting reminders (meetings issue). */
  meetingReminders: "meeting-reminders",
  /** First-response and resolution clocks of concerns (concerns issue). */
  concernClocks: "concern-clocks",
  /** Notice jobs only: scheduled sends, fan-outs, report refreshes (src/jobs/notice-jobs.ts). */
  broadcasts: "broadcasts",
  /** Poll and opinion-round deadlines (polls issue); a queue of its own because a BullMQ
   * worker takes every job of its queue whatever the job's name. */
  pollDeadlines: "poll-deadlines",
  /** Fleet-wide housekeeping: expiry, recovery of unhandled inbound events. */
  maintenance: "maintenance",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Payload of an outbox job: the delivery record's id. */
export interface OutboxJob {
  deliveryId: string;
  /** Set while the job waits for a paused chat (src/jobs/chat-pause.ts): its slot, ms since the epoch. */
  chatSlot?: number;
}

/** Maintenance job names. */
export type MaintenanceJobName = "expire-codes" | "expire-conversations" | "recover-inbound" | "expire-inbound" | "expire-delivery-payloads" | "expire-concern-texts" | "expire-concern-digests" | "reconcile"
  | "zalo-oa-refresh" | "zalo-oa-prune";

/** BullMQ job ids must not contain ":" nor be all digits. */
export function jobId(...parts: string[]): string {
  return parts.join("-").replace(/:/g, "_");
}
