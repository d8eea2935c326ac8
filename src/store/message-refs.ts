/**
 * Which platform message last showed a replaceable message ("replaceKey") in a chat, so the
 * next one with the same key edits it in place (the notice report updating as confirmations
 * arrive). One document per (chat, key), `_id` = `${chatKey}|${replaceKey}`, written with
 * replaceOne+upsert (insert-or-replace, FerretDB-safe). Erased per chat on /xoadulieu.
 */
import { Schema, type Connection, type Model } from "mongoose";
import type { Eraser } from "./privacy.js";

interface MessageRefDoc {
  _id: string;
  chatKey: string;
  replaceKey: string;
  messageId: string;
  at: Date;
}

const schema = new Schema<MessageRefDoc>({
  _id: { type: String, required: true },
  chatKey: { type: String, required: true, index: true },
  replaceKey: { type: String, required: true },
  messageId: { type: String, required: true },
  at: { type: Date, required: true },
}, { versionKey: false });

function model(conn: Connection): Model<MessageRefDoc> {
  return (conn.models.MessageRef as Model<MessageRefDoc> | undefined) ?? conn.model<MessageRefDoc>("MessageRef", schema, "message_refs");
}

export interface MessageRefs {
  /** The platform message id last recorded for (chat, key). */
  get(chatKey: string, replaceKey: string): Promise<string | undefined>;
  /** Records (insert-or-replace) the message now showing (chat, key). */
  set(chatKey: string, replaceKey: string, messageId: string): Promise<void>;
  eraser: Eraser;
}

const refId = (chatKey: string, replaceKey: string) => `${chatKey}|${replaceKey}`;

export function createMessageRefs(conn: Connection, now: () => Date = () => new Date()): MessageRefs & { init(): Promise<void> } {
  const M = model(conn);
  return {
    init: async () => { await M.createIndexes(); },
    async get(chatKey, replaceKey) {
      return (await M.findById(refId(chatKey, replaceKey)).lean())?.messageId;
    },
    async set(chatKey, replaceKey, messageId) {
      const _id = refId(chatKey, replaceKey);
      await M.replaceOne({ _id }, { _id, chatKey, replaceKey, messageId, at: now() }, { upsert: true });
    },
    eraser: async ({ chatKey }) => ({ messageRefs: (await M.deleteMany({ chatKey })).deletedCount ?? 0 }),
  };
}
