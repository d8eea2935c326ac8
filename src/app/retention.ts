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
import type { Database } from "../store/mongo.js";

export type RetentionTask = "expire-conversations" | "expire-inbound" | "expire-delivery-payloads" | "expire-concern-texts";

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
    "expire-concern-texts": () => expireClosedConcernTexts({ models, concerns: registerConcernModels(db.conn), now: () => clock.now(), months: config.concernTextRetentionMonths }),
  };
}
