/**
 * The last numbered list ("keyboard") sent to each Zalo Bot chat, so a reply "2" can be turned
 * back into that button's payload by whichever web process receives it. One document per chat
 * (`_id` = the chat key); buttons as a JSON string (FerretDB: no nested arrays). Registered on
 * the app's connection; erased with the person's other data on /xoadulieu.
 */
import { Schema, type Connection, type Model } from "mongoose";
import type { Button } from "../engine/messages.js";
import type { Eraser } from "./privacy.js";

interface ZaloKeyboardDoc {
  _id: string;
  buttons: string;
  sentAt: Date;
}

const schema = new Schema<ZaloKeyboardDoc>({
  _id: { type: String, required: true },
  buttons: { type: String, required: true },
  sentAt: { type: Date, required: true },
}, { versionKey: false });

function model(conn: Connection): Model<ZaloKeyboardDoc> {
  return (conn.models.ZaloKeyboard as Model<ZaloKeyboardDoc> | undefined) ?? conn.model<ZaloKeyboardDoc>("ZaloKeyboard", schema, "zalo_keyboards");
}

export interface ZaloKeyboards {
  remember(chatKey: string, buttons: Button[]): Promise<void>;
  recall(chatKey: string): Promise<{ buttons: Button[]; sentAt: Date } | undefined>;
  eraser: Eraser;
}

export function createZaloKeyboards(conn: Connection, now: () => Date = () => new Date()): ZaloKeyboards {
  const M = model(conn);
  return {
    async remember(chatKey, buttons) {
      if (buttons.length === 0) {
        await M.deleteOne({ _id: chatKey });
        return;
      }
      const kept = buttons.map((b) => ({ label: b.label, payload: b.payload }));
      await M.updateOne({ _id: chatKey }, { $set: { buttons: JSON.stringify(kept), sentAt: now() } }, { upsert: true });
    },
    async recall(chatKey) {
      const doc = await M.findById(chatKey).lean();
      if (!doc) return undefined;
      try {
        const buttons = JSON.parse(doc.buttons) as Button[];
        return Array.isArray(buttons) ? { buttons, sentAt: doc.sentAt } : undefined;
      } catch {
        return undefined;
      }
    },
    eraser: async ({ chatKey }) => ({ zaloKeyboards: (await M.deleteOne({ _id: chatKey })).deletedCount ?? 0 }),
  };
}
