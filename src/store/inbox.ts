/**
 * The durable inbound record (`Inbox` port). A unique insert per platform event id: a
 * redelivered update is a duplicate. The event body is kept only until it is handled.
 */
import { addressKey, type InboundEvent } from "../engine/messages.js";
import type { Inbox } from "../engine/ports.js";
import { isDuplicateKey, type Models } from "./models.js";

export function createInbox(models: Models): Inbox {
  return {
    async record(event) {
      try {
        await models.ProcessedEvent.create({ _id: event.id, status: "received", chatKey: addressKey(event.address), event: JSON.stringify(event) });
        return "new";
      } catch (err) {
        if (isDuplicateKey(err)) return "duplicate";
        throw err;
      }
    },
    async complete(eventId) {
      await models.ProcessedEvent.updateOne({ _id: eventId }, { $set: { status: "done", completedAt: new Date(), event: null } });
    },
    async pending(olderThan, limit) {
      const docs = await models.ProcessedEvent.find({ status: "received", receivedAt: { $lt: olderThan } }).sort({ receivedAt: 1 }).limit(limit).lean();
      return docs
        .filter((d) => d.event)
        .map((d) => {
          const event = JSON.parse(d.event!) as InboundEvent & { at: string };
          return { ...event, at: new Date(event.at) } as InboundEvent;
        });
    },
  };
}

/** Removes completed inbound records older than `cutoff` (maintenance scheduler). */
export async function expireInbound(models: Models, cutoff: Date): Promise<number> {
  return (await models.ProcessedEvent.deleteMany({ status: "done", receivedAt: { $lt: cutoff } })).deletedCount ?? 0;
}
