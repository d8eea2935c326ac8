/**
 * Delivery records of the outbox: one per (item, recipient), keyed by a deterministic id.
 * The status is checked before and after sending so a retried job never sends twice; a
 * delivery found "sending" when its job starts was in flight during a crash and is marked
 * `possibleDuplicate` (the Bot API takes no idempotency key).
 */
import type { Address } from "../engine/messages.js";
import type { Say } from "../engine/say.js";
import type { OutboxItem } from "../engine/ports.js";
import { pickLocale, type Locale } from "../i18n/fluent.js";
import { isDuplicateKey, type Models } from "./models.js";

export type DeliveryStatus = "queued" | "sending" | "sent" | "unreachable" | "failed";

export interface DeliveryRecord {
  id: string;
  recipient: Address;
  identityId: string;
  messages: Say[];
  status: DeliveryStatus;
  sentParts: number;
  possibleDuplicate: boolean;
  group: string;
}

/** The outbox's view of delivery records (implemented here, used by src/jobs/outbox.ts). */
export interface DeliveryRepo {
  /** Inserts the deliveries that do not exist yet; returns every item's id. */
  createMany(items: (OutboxItem & { group?: string })[]): Promise<string[]>;
  load(id: string): Promise<DeliveryRecord | undefined>;
  /** Marks "sending"; returns whether it already was (a crash mid-send). */
  beginSend(id: string): Promise<{ wasInFlight: boolean }>;
  partSent(id: string, parts: number): Promise<void>;
  finish(id: string, status: Exclude<DeliveryStatus, "sending">, error?: string): Promise<void>;
  localeOf(delivery: DeliveryRecord): Promise<Locale>;
}

/** The delivery id of an outbox item: its key (deterministic per thing and recipient). */
export const deliveryId = (item: OutboxItem) => item.key;

export function createDeliveryRepo(models: Models, defaultLocale: Locale = "vi"): DeliveryRepo {
  const toRecord = (d: Record<string, unknown>): DeliveryRecord => ({
    id: d._id as string, recipient: d.recipient as Address, identityId: (d.identityId as string) ?? "",
    messages: JSON.parse(d.messages as string) as Say[], status: d.status as DeliveryStatus, sentParts: (d.sentParts as number) ?? 0,
    possibleDuplicate: Boolean(d.possibleDuplicate), group: (d.group as string) ?? "",
  });
  return {
    async createMany(items) {
      const ids: string[] = [];
      for (const item of items) {
        const identity = await models.ChannelIdentity.findOne({ channel: item.recipient.channel, account: item.recipient.account, externalUserId: item.recipient.userId }).lean();
        try {
          await models.Delivery.create({ _id: item.key, recipient: item.recipient, identityId: identity?._id ?? "", messages: JSON.stringify(item.messages), group: item.group ?? "", sentParts: 0 });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
        ids.push(item.key);
      }
      return ids;
    },
    async load(id) {
      const d = await models.Delivery.findById(id).lean();
      return d ? toRecord(d as unknown as Record<string, unknown>) : undefined;
    },
    async beginSend(id) {
      const before = await models.Delivery.findById(id).lean();
      const wasInFlight = before?.status === "sending";
      await models.Delivery.updateOne({ _id: id }, { $set: { status: "sending", inFlightAt: new Date(), ...(wasInFlight ? { possibleDuplicate: true } : {}) }, $inc: { attempts: 1 } });
      return { wasInFlight };
    },
    async partSent(id, parts) {
      await models.Delivery.updateOne({ _id: id }, { $set: { sentParts: parts } });
    },
    async finish(id, status, error) {
      await models.Delivery.updateOne({ _id: id }, { $set: { status, error: error ?? "", ...(status === "sent" ? { sentAt: new Date() } : {}) } });
    },
    async localeOf(delivery) {
      const identity = delivery.identityId ? await models.ChannelIdentity.findById(delivery.identityId).lean() : null;
      return pickLocale(identity?.locale, defaultLocale);
    },
  };
}
