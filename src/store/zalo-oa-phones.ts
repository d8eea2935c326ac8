/**
 * Phone numbers guardians explicitly agreed to share with the school's OA (the answer to a
 * `request_user_info` card, webhook `user_submit_info`), used only to reach them by a ZBS
 * template by phone when nothing else can. One fact per answer (`zalo_oa_phones`,
 * `_id = "<identityId>#<ms>"`, never updated; the newest is the phone), each carrying its
 * consent record (when, for what purpose, which card text). The number arrives sealed
 * (AES-256-GCM with the token key, bound to the identity): this module never sees it in clear.
 * "The card was shown" is a fact of the same collection (`_id = "ask#<identityId>"`), so that
 * two turns at once show it once. Erasure deletes both by identity and by chat.
 */
import { Schema, type Connection, type Model } from "mongoose";
import { decideOnce } from "./facts.js";
import { isDuplicateKey } from "./models.js";
import type { Eraser } from "./privacy.js";

export interface OaPhoneConsent {
  identityId: string;
  oaId: string;
  userId: string;
  /** addressKey of the OA chat (erasure by chat when the identity is already gone). */
  chatKey: string;
  phoneSealed: string;
  /** The consent: when it was given (the webhook's time), for what, and after which card text. */
  consent: { at: Date; purpose: string; text: string };
}

type PhoneDoc = { _id: string; kind: "phone" | "asked"; identityId: string; chatKey: string; oaId?: string; userId?: string; phoneSealed?: string; consent?: OaPhoneConsent["consent"]; at: Date };

const schema = new Schema<PhoneDoc>({
  _id: { type: String, required: true }, kind: { type: String, required: true }, identityId: { type: String, required: true }, chatKey: { type: String, required: true },
  oaId: String, userId: String, phoneSealed: String, consent: { at: Date, purpose: String, text: String }, at: { type: Date, required: true },
}, { versionKey: false });
schema.index({ identityId: 1, at: -1 });
schema.index({ chatKey: 1 });

export function zaloOaPhoneModel(conn: Connection): Model<PhoneDoc> {
  return (conn.models.ZaloOaPhone as Model<PhoneDoc> | undefined) ?? conn.model<PhoneDoc>("ZaloOaPhone", schema, "zalo_oa_phones");
}

export interface ZaloOaPhoneRepository {
  /** Records one consented phone (a redelivered webhook is a no-op). */
  record(c: OaPhoneConsent): Promise<void>;
  /** The newest consented phone of an identity (sealed). */
  latest(identityId: string): Promise<{ phoneSealed: string; consentAt: Date } | undefined>;
  /** True for the first caller only: this identity is shown the card now. */
  decideAsk(identityId: string, chatKey: string, at: Date): Promise<boolean>;
  eraser: Eraser;
}

export function createZaloOaPhoneRepository(conn: Connection): ZaloOaPhoneRepository {
  const M = zaloOaPhoneModel(conn);
  return {
    async record(c) {
      const doc: PhoneDoc = { _id: `${c.identityId}#${c.consent.at.getTime()}`, kind: "phone", ...c, at: c.consent.at };
      try {
        await M.collection.insertOne(doc as never);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },
    async latest(identityId) {
      const doc = await M.findOne({ identityId, kind: "phone" }).sort({ at: -1 }).lean();
      return doc?.phoneSealed ? { phoneSealed: doc.phoneSealed, consentAt: doc.at } : undefined;
    },
    async decideAsk(identityId, chatKey, at) {
      return (await decideOnce(M, { _id: `ask#${identityId}`, kind: "asked", identityId, chatKey, at })).won;
    },
    eraser: async ({ identityId, chatKey }) => {
      const byIdentity = identityId ? (await M.deleteMany({ identityId })).deletedCount ?? 0 : 0;
      const byChat = (await M.deleteMany({ chatKey })).deletedCount ?? 0;
      return { zaloOaPhones: byIdentity + byChat };
    },
  };
}
