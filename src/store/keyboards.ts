/**
 * The last buttons sent to each chat, on every channel (`KeyboardMemory`): a reply "2" or
 * "đồng ý" is read back as that button by whichever process receives it, also after a restart.
 * One document per chat (`_id` = the chat key); buttons as a JSON string of labels and payloads
 * (FerretDB: no nested arrays), the Telegram message that shows them, and when they were sent.
 * Labels are what the person was shown (never a message's text). Overwritten by the next
 * buttoned message, erased with the person's other data on /xoadulieu, ignored once older than
 * `KEYBOARD_MAX_AGE_MS`. The collection keeps the name it had when only Zalo used it
 * (`zalo_keyboards`), so the lists sent before this version still count and are still erased.
 */
import { Schema, type Connection, type Model } from "mongoose";
import type { Button } from "../engine/messages.js";
import type { KeyboardMemory } from "../engine/ports.js";
import type { Eraser } from "./privacy.js";

interface KeyboardDoc {
  _id: string;
  buttons: string;
  sentAt: Date;
  messageRef?: string | null;
}

const schema = new Schema<KeyboardDoc>({
  _id: { type: String, required: true },
  buttons: { type: String, required: true },
  sentAt: { type: Date, required: true },
  messageRef: { type: String, required: false },
}, { versionKey: false });

function model(conn: Connection): Model<KeyboardDoc> {
  return (conn.models.Keyboard as Model<KeyboardDoc> | undefined) ?? conn.model<KeyboardDoc>("Keyboard", schema, "zalo_keyboards");
}

export interface Keyboards extends Required<KeyboardMemory> {
  eraser: Eraser;
}

const kept = (buttons: Button[]) => JSON.stringify(buttons.map((b) => ({ label: b.label, payload: b.payload })));

export function createKeyboards(conn: Connection, now: () => Date = () => new Date()): Keyboards {
  const M = model(conn);
  return {
    async remember(chatKey, buttons, messageRef) {
      if (buttons.length === 0) {
        await M.deleteOne({ _id: chatKey });
        return;
      }
      const set = { buttons: kept(buttons), sentAt: now(), ...(messageRef ? { messageRef } : {}) };
      await M.updateOne({ _id: chatKey }, { $set: set, ...(messageRef ? {} : { $unset: { messageRef: 1 } }) }, { upsert: true });
    },
    async recall(chatKey) {
      const doc = await M.findById(chatKey).lean();
      if (!doc) return undefined;
      try {
        const buttons = JSON.parse(doc.buttons) as Button[];
        return Array.isArray(buttons) ? { buttons, sentAt: doc.sentAt, ...(doc.messageRef ? { messageRef: doc.messageRef } : {}) } : undefined;
      } catch {
        return undefined;
      }
    },
    // One filtered write: a newer list remembered meanwhile (another message) is left alone.
    async replaceUnder(chatKey, messageRef, buttons) {
      if (buttons.length === 0) await M.deleteOne({ _id: chatKey, messageRef });
      else await M.updateOne({ _id: chatKey, messageRef }, { $set: { buttons: kept(buttons) } });
    },
    eraser: async ({ chatKey }) => ({ keyboards: (await M.deleteOne({ _id: chatKey })).deletedCount ?? 0 }),
  };
}
