/** Reading the facts of turn replies (src/store/inbox.ts) for the fault suite's assertions. */
import type { Models } from "../../src/store/models.js";

/** Replies settled as sent, per chat, and how many replies were flagged as possibly sent twice. */
export async function replyFacts(models: Models): Promise<{ sentTo(chatKey: string): number; duplicates: number }> {
  const events = await models.ProcessedEvent.find({}).select({ _id: 1, chatKey: 1 }).lean();
  const chatOf = new Map(events.map((e) => [`turn:${e._id}`, e.chatKey ?? ""]));
  const marks = await models.DeliveryMark.find({ group: { $regex: "^turn:" }, kind: { $in: ["sent", "duplicate"] } }).select({ group: 1, kind: 1 }).lean();
  const sent = new Map<string, number>();
  let duplicates = 0;
  for (const m of marks) {
    if (m.kind === "duplicate") duplicates++;
    else sent.set(chatOf.get(m.group) ?? "", (sent.get(chatOf.get(m.group) ?? "") ?? 0) + 1);
  }
  return { sentTo: (chatKey) => sent.get(chatKey) ?? 0, duplicates };
}
