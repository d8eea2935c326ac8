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
import { isDuplicateKey } from "./models.js";

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
  /**
   * Remembers many chats' buttons in one command, two when some chats are new (the outbox's
   * batches): each only where the chat's remembered buttons are older than its `sentAt`, so a
   * reply remembered at once by another process meanwhile is not overwritten by an older broadcast.
   */
  rememberMany(entries: { chatKey: string; buttons: Button[]; messageRef?: string; sentAt: Date }[]): Promise<void>;
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
      const update = { $set: set, ...(messageRef ? {} : { $unset: { messageRef: 1 } }) };
      try {
        await M.updateOne({ _id: chatKey }, update, { upsert: true });
      } catch (err) {
        // FerretDB: another write inserted the chat's list between this upsert's read and its
        // insert (a batch of the outbox's). The list exists now: this newer one replaces it.
        if (!isDuplicateKey(err)) throw err;
        await M.updateOne({ _id: chatKey }, update);
      }
    },
    // One command for chats remembered before (the usual case), a second for those that are new:
    // an upsert whose filter misses an existing, newer list would fail on its _id, and FerretDB
    // stops a bulk update at its first error; an unordered insert goes past its duplicates.
    async rememberMany(entries) {
      if (entries.length === 0) return;
      const doc = (e: (typeof entries)[number]) => ({ buttons: kept(e.buttons), sentAt: e.sentAt, ...(e.messageRef ? { messageRef: e.messageRef } : {}) });
      const updated = await M.bulkWrite(entries.map((e) => ({
        updateOne: { filter: { _id: e.chatKey, sentAt: { $lt: e.sentAt } }, update: { $set: doc(e), ...(e.messageRef ? {} : { $unset: { messageRef: 1 } }) } },
      })), { ordered: false });
      if (updated.matchedCount === entries.length) return;
      try {
        await M.insertMany(entries.map((e) => ({ _id: e.chatKey, ...doc(e) })), { ordered: false });
      } catch (err) {
        // Chats already holding a list (updated above, or newer): left as they are.
        const errors = (err as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
        if (!errors || errors.some((e) => (e.code ?? e.err?.code) !== 11000)) throw err;
      }
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

/** How long the outbox's buttons wait to be written with others, and how many are written at once. */
export const KEYBOARD_BATCH = { maxWaitMs: 250, maxSize: 200 };

/** The two memories of one process: `bulk` for the outbox's senders, `now` for everything else. */
export interface BatchedKeyboards {
  /** Written in batches; a recall reads what waits here first. */
  bulk: Required<KeyboardMemory>;
  /** Written at once (replies, the engine's reads): a chat's list remembered here replaces the one waiting in `bulk`. */
  now: Required<KeyboardMemory>;
  /** Writes what waits (at shutdown, after the outbox worker closed). */
  flush(): Promise<void>;
  /** `/xoadulieu`: the chat's waiting list too. */
  eraser: Eraser;
}

/**
 * A broadcast remembers each chat's buttons in batches (one command per `KEYBOARD_BATCH.maxSize`
 * chats, at most `maxWaitMs` later), not with a write per message, so a fan-out keeps its
 * database operations per message. A person typing "1" within that quarter second reads the
 * buttons waiting here when this process handles it, else the chat's previous ones; a crash
 * loses at most those waiting (their messages were sent: typing then gets the usual hint). A
 * reply remembered at once drops the chat's waiting list, and a batch never overwrites a list
 * remembered later by another process (`rememberMany`).
 */
export function batchedKeyboards(memory: Keyboards, logger: { warn(obj: object, msg: string): void }, now: () => Date = () => new Date()): BatchedKeyboards {
  type Entry = { chatKey: string; buttons: Button[]; messageRef?: string; sentAt: Date };
  const waiting = new Map<string, Entry>();
  const writingNow = new Map<string, Entry>();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = [...waiting.values()];
    waiting.clear();
    // Still read here until written: a «1» typed meanwhile must not find the older list.
    for (const e of batch) writingNow.set(e.chatKey, e);
    writing = writing.then(async () => {
      for (let i = 0; i < batch.length; i += KEYBOARD_BATCH.maxSize) {
        try {
          await memory.rememberMany(batch.slice(i, i + KEYBOARD_BATCH.maxSize));
        } catch (err) {
          logger.warn({ err: (err as Error).message, chats: Math.min(KEYBOARD_BATCH.maxSize, batch.length - i) }, "telegram keyboards not remembered");
        }
      }
      for (const e of batch) if (writingNow.get(e.chatKey) === e) writingNow.delete(e.chatKey);
    });
    return writing;
  };
  const recall = async (chatKey: string) => {
    const w = waiting.get(chatKey) ?? writingNow.get(chatKey);
    return w ? { buttons: w.buttons, sentAt: w.sentAt, ...(w.messageRef ? { messageRef: w.messageRef } : {}) } : memory.recall(chatKey);
  };
  /** A list remembered at once replaces the chat's list waiting or being written here. */
  const supersede = (chatKey: string) => {
    waiting.delete(chatKey);
    writingNow.delete(chatKey);
  };
  const replaceUnder = async (chatKey: string, messageRef: string, buttons: Button[]) => {
    await flush();
    return memory.replaceUnder(chatKey, messageRef, buttons);
  };
  return {
    bulk: {
      async remember(chatKey, buttons, messageRef) {
        if (buttons.length === 0) {
          supersede(chatKey);
          return memory.remember(chatKey, buttons);
        }
        waiting.set(chatKey, { chatKey, buttons, sentAt: now(), ...(messageRef ? { messageRef } : {}) });
        if (waiting.size >= KEYBOARD_BATCH.maxSize) void flush();
        else if (!timer) (timer = setTimeout(() => void flush(), KEYBOARD_BATCH.maxWaitMs)).unref();
      },
      recall, replaceUnder,
    },
    now: {
      async remember(chatKey, buttons, messageRef) {
        supersede(chatKey);
        return memory.remember(chatKey, buttons, messageRef);
      },
      recall, replaceUnder,
    },
    flush,
    // After a batch being written (it may hold this chat), so the delete is the last write.
    eraser: async (who) => {
      supersede(who.chatKey);
      await writing;
      return memory.eraser(who);
    },
  };
}
