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
  /** `sentParts`, when given, is recorded in the same write (the last part of a sent delivery). */
  finish(id: string, status: Exclude<DeliveryStatus, "sending">, error?: string, sentParts?: number): Promise<void>;
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
      // Batched: one identity query per (channel, account), one existence query and one
      // unordered insert per chunk. A duplicate key (a concurrent or repeated enqueue) is the
      // expected outcome for existing keys; any other batch failure falls back to one by one.
      const CHUNK = 1_000;
      for (let start = 0; start < items.length; start += CHUNK) {
        const chunk = items.slice(start, start + CHUNK);
        const identityIds = new Map<string, string>();
        const byAccount = new Map<string, { channel: string; account: string; userIds: Set<string> }>();
        for (const item of chunk) {
          const k = `${item.recipient.channel}|${item.recipient.account}`;
          const entry = byAccount.get(k) ?? { channel: item.recipient.channel, account: item.recipient.account, userIds: new Set<string>() };
          entry.userIds.add(item.recipient.userId);
          byAccount.set(k, entry);
        }
        for (const { channel, account, userIds } of byAccount.values())
          for (const i of await models.ChannelIdentity.find({ channel, account, externalUserId: { $in: [...userIds] } }).lean())
            identityIds.set(`${channel}|${account}|${i.externalUserId}`, i._id);
        const existing = new Set((await models.Delivery.find({ _id: { $in: chunk.map((i) => i.key) } }).select({ _id: 1 }).lean()).map((d) => d._id));
        const seen = new Set<string>();
        const docs = chunk.filter((i) => !existing.has(i.key) && !seen.has(i.key) && seen.add(i.key)).map((item) => ({
          _id: item.key, recipient: item.recipient,
          identityId: identityIds.get(`${item.recipient.channel}|${item.recipient.account}|${item.recipient.userId}`) ?? "",
          messages: JSON.stringify(item.messages), group: item.group ?? "", sentParts: 0,
        }));
        if (docs.length === 0) continue;
        try {
          await models.Delivery.insertMany(docs, { ordered: false });
        } catch {
          for (const doc of docs) {
            try {
              await models.Delivery.create(doc);
            } catch (err) {
              if (!isDuplicateKey(err)) throw err;
            }
          }
        }
      }
      return items.map((i) => i.key);
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
    async finish(id, status, error, sentParts) {
      await models.Delivery.updateOne({ _id: id }, { $set: { status, error: error ?? "", ...(status === "sent" ? { sentAt: new Date() } : {}), ...(sentParts !== undefined ? { sentParts } : {}) } });
    },
    async localeOf(delivery) {
      const identity = delivery.identityId ? await models.ChannelIdentity.findById(delivery.identityId).lean() : null;
      return pickLocale(identity?.locale, defaultLocale);
    },
  };
}
