/**
 * What the privacy notice promises to delete, and when: the maintenance tasks of retention,
 * each bound to its configured period (src/app/config.ts, `.env.example`). The job schedulers
 * that run them are in src/jobs/maintenance.ts.
 *
 * | task | deletes | after |
 * |---|---|---|
 * | expire-conversations | an unfinished conversation's state | CONVERSATION_TTL_HOURS idle |
 * | expire-inbound | processed inbound events and their turns (reply texts) | INBOUND_RETENTION_DAYS |
 * | expire-delivery-payloads | the text of a message the outbox delivered | DELIVERY_PAYLOAD_RETENTION_HOURS after it ended |
 * | expire-concern-texts | a resolved concern's words | CONCERN_TEXT_RETENTION_MONTHS after its school year |
 * | expire-concern-digests | the fact deciding a school's morning digest of one day | DIGEST_FACT_RETENTION_DAYS after it was decided |
 */
import type { Config } from "./config.js";
import type { Clock } from "../engine/ports.js";
import type { Models } from "../store/models.js";
import type { MaintenanceTasks } from "../jobs/maintenance.js";
import { registerConcernModels } from "../store/concern-models.js";
import { expireConversations } from "../store/conversations.js";
import { expireInbound } from "../store/inbox.js";
import { expireDeliveryPayloads } from "../store/deliveries.js";
import { expireClosedConcernTexts } from "../features/concerns/retention.js";
import { expireDigestFacts } from "../features/concerns/digest.js";
import type { Database } from "../store/mongo.js";

export type RetentionTask = "expire-conversations" | "expire-inbound" | "expire-delivery-payloads" | "expire-concern-texts" | "expire-concern-digests";

/**
 * How long a school's digest fact (`concern-digest-<school>#<local date>`) is kept. It decides
 * that day's digest only: a BullMQ retry or a stalled job's re-run comes within minutes or hours
 * and must find its own fact to repeat its sends, and no run looks at an earlier date. Two weeks
 * leave room for a job stuck across a long outage and let an operator still see which school got
 * its digest on which day of the last fortnight; a fixed period, not a setting (no words or
 * personal data are in it, only a school id, a date and a run id).
 */
export const DIGEST_FACT_RETENTION_DAYS = 14;

type RetentionConfig = Pick<Config, "conversationTtlHours" | "inboundRetentionDays" | "deliveryPayloadRetentionHours" | "concernTextRetentionMonths">;

/** The retention tasks over this database, with `clock` deciding what is old. */
export function retentionTasks(db: Database, config: RetentionConfig, clock: Clock): Pick<MaintenanceTasks, RetentionTask> {
  const models = db.models as Models;
  const ago = (ms: number) => new Date(clock.now().getTime() - ms);
  const hour = 3_600_000;
  return {
    "expire-conversations": () => expireConversations(models, ago(config.conversationTtlHours * hour)),
    "expire-inbound": () => expireInbound(models, ago(config.inboundRetentionDays * 24 * hour)),
    "expire-delivery-payloads": () => expireDeliveryPayloads(models, ago(config.deliveryPayloadRetentionHours * hour)),
    "expire-concern-digests": () => expireDigestFacts(models, ago(DIGEST_FACT_RETENTION_DAYS * 24 * hour)),
    "expire-concern-texts": () => expireClosedConcernTexts({ models, concerns: registerConcernModels(db.conn), now: () => clock.now(), months: config.concernTextRetentionMonths }),
  };
}
