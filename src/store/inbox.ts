/**
 * The durable inbound record (`Inbox` port), as facts:
 *
 * - `processed_events`: one insert per platform event id (a redelivered update is a
 *   duplicate). The event body is kept only until the event is complete.
 * - `turns`: one insert per event once the engine returned — its rendered replies as JSON text
 *   (kept until they are settled). The unique `_id` is what makes a turn run once: a second
 *   handler of the same event finds it, or loses the insert and takes the winner's.
 * - each reply's sending, as the outbox's delivery marks (`delivery_marks`, see deliveries.ts)
 *   of a delivery `turn:<eventId>#<index>` in group `turn:<eventId>`: `sending-k` claims try
 *   k, `clear-k` says it reached nobody, `sent` / `unreachable` / `failed` settle it,
 *   `duplicate` says a try was cut off mid-send and the reply went out again. Try 1 of reply 0
 *   has no `sending-1`: winning the turn's insert claims it. A reply's `sent` and the next
 *   reply's `sending-1` are one insert.
 */
import { addressKey, type InboundEvent, type Outbound } from "../engine/messages.js";
import type { HandleResult, Inbox, ReplyClaim } from "../engine/ports.js";
import { createDeliveryRepo, MARK, markId, TERMINAL_MARKS } from "./deliveries.js";
import type { Eraser } from "./privacy.js";
import { isDuplicateKey, type Models } from "./models.js";

/** The delivery id and group of reply `index` of an event's turn. */
export const replyDelivery = (eventId: string, index: number) => ({ id: `turn:${eventId}#${index}`, group: `turn:${eventId}` });

type TurnDoc = { _id: string; status: string; reason?: string; flowId?: string; step?: string; outbound?: string };

function toResult(doc: TurnDoc): HandleResult {
  if (doc.status !== "handled") return { status: "ignored", reason: doc.reason as Extract<HandleResult, { status: "ignored" }>["reason"] };
  return { status: "handled", outbound: JSON.parse(doc.outbound ?? "[]") as Outbound[], ...(doc.flowId ? { flowId: doc.flowId } : {}), ...(doc.step ? { step: doc.step } : {}) };
}

function parseEvent(json: string): InboundEvent {
  const event = JSON.parse(json) as InboundEvent & { at: string };
  return { ...event, at: new Date(event.at) } as InboundEvent;
}

export function createInbox(models: Models): Inbox {
  const marks = createDeliveryRepo(models);
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
    async turnOf(eventId) {
      const doc = await models.Turn.findOne({ _id: eventId }).lean();
      return doc ? toResult(doc) : undefined;
    },
    async recordTurn(eventId, result) {
      const doc = result.status === "handled"
        ? { _id: eventId, status: "handled", flowId: result.flowId ?? "", step: result.step ?? "", outbound: JSON.stringify(result.outbound) }
        : { _id: eventId, status: "ignored", reason: result.reason };
      try {
        await models.Turn.create(doc);
        return { turn: result, won: true };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const winner = await models.Turn.findOne({ _id: eventId }).lean();
        return { turn: toResult(winner!), won: false };
      }
    },
    async movedPast(event, lastEventId) {
      const me = await models.ProcessedEvent.findOne({ _id: event.id }).select({ chatKey: 1, receivedAt: 1 }).lean();
      if (!me?.chatKey) return false;
      const later = await models.ProcessedEvent.find({ chatKey: me.chatKey, receivedAt: { $gt: me.receivedAt } }).select({ _id: 1, status: 1 }).lean();
      if (later.some((d) => d._id === lastEventId || d.status === "done")) return true;
      // By _id, not one `$in`: FerretDB does not push `$in` down, and the turns grow with history.
      for (let i = 0; i < later.length; i += 25) {
        const turned = await Promise.all(later.slice(i, i + 25).map((d) => models.Turn.exists({ _id: d._id })));
        if (turned.some((t) => t !== null)) return true;
      }
      return false;
    },
    async claimReply(eventId, index): Promise<ReplyClaim> {
      const d = replyDelivery(eventId, index);
      // The common path reads nothing: only a claimed try can settle a reply, so winning try 1 proves it is unsettled.
      // Try 1 of reply 0 is the turn's recorder's (one write fewer per turn): here it is taken as held.
      if (index > 0 && (await marks.mark(d, MARK.sending(1)))) return { status: "claimed", attempt: 1, possibleDuplicate: false };
      const terminal = await marks.readMarks(d.id, TERMINAL_MARKS);
      const settled = TERMINAL_MARKS.find((_, i) => terminal[i] !== undefined);
      if (settled) return { status: "settled", outcome: settled };
      let possibleDuplicate = false;
      for (let k = 1; ; k++) {
        const [cleared] = await marks.readMarks(d.id, [MARK.clear(k)]);
        // The caller holds the chat lock: a try neither settled nor cleared was cut off mid-send.
        if (cleared === undefined) {
          await marks.mark(d, MARK.duplicate);
          possibleDuplicate = true;
        }
        if (await marks.mark(d, MARK.sending(k + 1))) return { status: "claimed", attempt: k + 1, possibleDuplicate };
      }
    },
    async settleReply(eventId, index, outcome, error) {
      await marks.mark(replyDelivery(eventId, index), outcome, error);
    },
    async settleSentAndClaimNext(eventId, index) {
      // One unordered insert of two marks (the one round trip a reply costs besides its first claim).
      const doc = (d: { id: string; group: string }, kind: string) => ({ _id: markId(d.id, kind), delivery: d.id, group: d.group, kind, at: new Date() });
      try {
        await models.DeliveryMark.insertMany([doc(replyDelivery(eventId, index), MARK.sent), doc(replyDelivery(eventId, index + 1), MARK.sending(1))], { ordered: false });
        return true;
      } catch (err) {
        const failed = (err as { writeErrors?: { index?: number; code?: number; err?: { index?: number; code?: number } }[] }).writeErrors;
        if (!Array.isArray(failed) || failed.length === 0 || !failed.every((e) => (e.code ?? e.err?.code) === 11000)) throw err;
        // Only the claim's index shows it was lost; without indexes `claimReply` decides.
        return failed.every((e) => typeof (e.index ?? e.err?.index) === "number" && (e.index ?? e.err?.index) !== 1);
      }
    },
    async clearReply(eventId, index, attempt, error) {
      await marks.mark(replyDelivery(eventId, index), MARK.clear(attempt), error);
    },
    async complete(eventId) {
      await models.ProcessedEvent.updateOne({ _id: eventId }, { $set: { status: "done", completedAt: new Date(), event: null } });
      // The replies are settled: their texts are not kept.
      await models.Turn.updateOne({ _id: eventId }, { $set: { outbound: "[]" } });
    },
    async pending(olderThan, limit) {
      const docs = await models.ProcessedEvent.find({ status: "received", receivedAt: { $lt: olderThan } }).sort({ receivedAt: 1 }).limit(limit).lean();
      return docs.filter((d) => d.event).map((d) => parseEvent(d.event!));
    },
    async earlierPending(event, windowMs) {
      // One query: the chat's incomplete events (this one among them), then the ones before it.
      const docs = await models.ProcessedEvent.find({ chatKey: addressKey(event.address), status: "received" }).sort({ receivedAt: 1 }).limit(50).lean();
      const me = docs.find((d) => d._id === event.id);
      if (!me) return [];
      const from = me.receivedAt.getTime() - windowMs;
      return docs
        .filter((d) => d._id !== event.id && d.event && d.receivedAt.getTime() >= from && (d.receivedAt < me.receivedAt || (d.receivedAt.getTime() === me.receivedAt.getTime() && d._id < me._id)))
        .map((d) => parseEvent(d.event!));
    },
  };
}

/** Removes completed inbound records, and turns with their reply marks, older than `cutoff` (maintenance scheduler). */
export async function expireInbound(models: Models, cutoff: Date): Promise<number> {
  const turns = await models.Turn.find({ at: { $lt: cutoff } }).select({ _id: 1 }).lean();
  for (let i = 0; i < turns.length; i += 1_000) {
    const ids = turns.slice(i, i + 1_000).map((t) => t._id);
    await models.DeliveryMark.deleteMany({ group: { $in: ids.map((id) => `turn:${id}`) } });
    await models.Turn.deleteMany({ _id: { $in: ids } });
  }
  return (await models.ProcessedEvent.deleteMany({ status: "done", receivedAt: { $lt: cutoff } })).deletedCount ?? 0;
}

/** /xoadulieu: the turns of the chat's inbound events (their reply texts), before those events are erased. */
export function inboxEraser(models: Models): Eraser {
  return async ({ chatKey }) => {
    const ids = (await models.ProcessedEvent.find({ chatKey }).select({ _id: 1 }).lean()).map((d) => d._id);
    if (ids.length === 0) return { turns: 0 };
    await models.DeliveryMark.deleteMany({ group: { $in: ids.map((id) => `turn:${id}`) } });
    return { turns: (await models.Turn.deleteMany({ _id: { $in: ids } })).deletedCount ?? 0 };
  };
}
