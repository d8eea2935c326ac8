/** What the web playground shows: messages per chat in order, shared by every web process. */
import type { Outbound } from "../engine/messages.js";
import { isDuplicateKey, type Models } from "./models.js";

export interface WebMessages {
  append(chatKey: string, outbound: Outbound): Promise<number>;
  since(chatKey: string, afterSeq: number): Promise<{ seq: number; outbound: Outbound; at: Date }[]>;
  lastSeq(chatKey: string): Promise<number>;
}

export function createWebMessages(models: Models): WebMessages {
  const lastSeq = async (chatKey: string) =>
    (await models.WebMessage.findOne({ chatKey }).sort({ seq: -1 }).lean())?.seq ?? 0;
  return {
    lastSeq,
    async append(chatKey, outbound) {
      // seq is unique per chat: a concurrent append retries with the next number.
      for (let attempt = 0; attempt < 20; attempt++) {
        const seq = (await lastSeq(chatKey)) + 1;
        try {
          await models.WebMessage.create({ chatKey, seq, outbound: JSON.stringify(outbound) });
          return seq;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      throw new Error("web message append kept colliding");
    },
    async since(chatKey, afterSeq) {
      const docs = await models.WebMessage.find({ chatKey, seq: { $gt: afterSeq } }).sort({ seq: 1 }).lean();
      return docs.map((d) => ({ seq: d.seq, outbound: JSON.parse(d.outbound) as Outbound, at: d.at }));
    },
  };
}
