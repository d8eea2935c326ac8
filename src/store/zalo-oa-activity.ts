/**
 * What the OA webhook tells us about each follower, for the route decision: the last
 * interaction (it opens the 48 h consultation window) and whether they still follow the OA.
 * One document per fact (`zalo_oa_activity`, `_id = "<oa>:<user>:<kind>:<ms>"`), never an
 * update: concurrent webhooks on FerretDB would undo each other's `$set`s, and a redelivered
 * event inserts the same `_id` again (a no-op). The current state is the newest fact; old
 * interaction facts are pruned by `pruneBefore` (an age past the paid window means "closed"
 * anyway, and so does no fact at all).
 */
import { Schema, type Connection, type Model } from "mongoose";
import { isDuplicateKey } from "./models.js";
import type { Eraser } from "./privacy.js";
import type { DeliveryRepo } from "./deliveries.js";

export type OaActivityKind = "interaction" | "follow" | "unfollow";

interface ActivityDoc {
  _id: string;
  oaId: string;
  userId: string;
  kind: OaActivityKind;
  at: Date;
}

const schema = new Schema<ActivityDoc>({
  _id: { type: String, required: true },
  oaId: { type: String, required: true },
  userId: { type: String, required: true },
  kind: { type: String, required: true },
  at: { type: Date, required: true },
}, { versionKey: false });
schema.index({ oaId: 1, userId: 1, kind: 1, at: -1 });
schema.index({ oaId: 1, at: -1 });

export function zaloOaActivityModel(conn: Connection): Model<ActivityDoc> {
  return (conn.models.ZaloOaActivity as Model<ActivityDoc> | undefined) ?? conn.model<ActivityDoc>("ZaloOaActivity", schema, "zalo_oa_activity");
}

/** What the route decision needs about one follower. */
export interface OaFollowerState {
  lastInteractionAt?: Date;
  /** False only when the newest follow fact is an unfollow (a follower from before the webhook has none). */
  follower: boolean;
}

export interface ZaloOaActivityRepository {
  /** Records one fact; a redelivery of the same event is a no-op. */
  record(fact: { oaId: string; userId: string; kind: OaActivityKind; at: Date }): Promise<void>;
  stateOf(oaId: string, userId: string): Promise<OaFollowerState>;
  /** When the OA's webhook last brought anything (for `zalo-oa status`). */
  lastSeen(oaId: string): Promise<Date | undefined>;
  /** Deletes interaction facts older than `before`; follow facts stay (they are few). */
  pruneBefore(before: Date): Promise<number>;
}

export function createZaloOaActivityRepository(conn: Connection): ZaloOaActivityRepository {
  const M = zaloOaActivityModel(conn);
  return {
    async record(f) {
      try {
        await M.collection.insertOne({ _id: `${f.oaId}:${f.userId}:${f.kind}:${f.at.getTime()}`, ...f } as never);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },
    async stateOf(oaId, userId) {
      const [last, follow] = await Promise.all([
        M.findOne({ oaId, userId, kind: "interaction" }).sort({ at: -1 }).lean(),
        M.findOne({ oaId, userId, kind: { $in: ["follow", "unfollow"] } }).sort({ at: -1, kind: 1 }).lean(),
      ]);
      return { ...(last ? { lastInteractionAt: last.at } : {}), follower: follow?.kind !== "unfollow" };
    },
    async lastSeen(oaId) {
      return (await M.findOne({ oaId }).sort({ at: -1 }).lean())?.at;
    },
    async pruneBefore(before) {
      return (await M.deleteMany({ kind: "interaction", at: { $lt: before } })).deletedCount ?? 0;
    },
  };
}

/**
 * Deliveries held for a follower (no free window, no template, no other channel): one
 * document per delivery, `_id` = the delivery id, brought back when the follower next writes.
 */
type HeldDoc = { _id: string; oaId: string; userId: string; reason: string; at: Date };
const heldSchema = new Schema<HeldDoc>({
  _id: { type: String, required: true }, oaId: { type: String, required: true }, userId: { type: String, required: true },
  reason: { type: String, required: true }, at: { type: Date, required: true },
}, { versionKey: false });
heldSchema.index({ oaId: 1, userId: 1 });
heldSchema.index({ oaId: 1, reason: 1 });

function zaloOaHeldModel(conn: Connection): Model<HeldDoc> {
  return (conn.models.ZaloOaHeld as Model<HeldDoc> | undefined) ?? conn.model<HeldDoc>("ZaloOaHeld", heldSchema, "zalo_oa_held");
}

/** The outbox reconciler's open set, as a hold settles it (src/store/deliveries.ts). */
export type HeldOpenSet = Pick<DeliveryRepo, "closeOpen" | "reopen">;

export interface ZaloOaHeldRepository {
  /**
   * Records a hold and settles the delivery's open entry, in this order: a hold with a retry
   * time stays in the open set under its delayed job (`d-<id>-<retry.job>`, due at `retry.at`,
   * which the reconciler rebuilds if Redis loses it); any other hold leaves the open set (the
   * reconciler must not send it). The held document is inserted only after that, so a release
   * (which must find it first) always reopens after this settled the entry: the release's
   * entry is the last written, with no compare-and-set needed.
   */
  hold(h: { deliveryId: string; oaId: string; userId: string; reason: string; at: Date; retry?: { at: Date; job: string } }): Promise<void>;
  /** The deliveries held for this follower (oldest first), removed from the held set: each by the one release that removed it. */
  release(oaId: string, userId: string): Promise<{ deliveryId: string; at: Date }[]>;
  /** Every delivery held on this OA for `reason` (oldest first), removed from the held set: each by the one release that removed it. */
  releaseReason(oaId: string, reason: string): Promise<{ deliveryId: string; at: Date }[]>;
  count(oaId: string): Promise<number>;
}

/** Held documents deleted at once by a release, in parallel: an OA reconnection may release thousands. */
const CLAIM_BATCH = 50;

export function createZaloOaHeldRepository(conn: Connection, open: HeldOpenSet): ZaloOaHeldRepository {
  const M = zaloOaHeldModel(conn);
  /**
   * The holds this release wins: each found document is deleted by its id, and only the release
   * whose delete removed it releases it. Two releases at the same moment (the parent writes as
   * the OA is reconnected) both find the hold; one reopens it and queues its release job, the
   * other does nothing, so no stale release can later name an older job in the open set. A
   * delete's count is a decision on both servers: FerretDB reports the rows its `DELETE … WHERE
   * _id IN (…)` removed (internal/backends/postgresql/collection.go), not the documents it read.
   */
  const claim = async (docs: HeldDoc[]): Promise<{ deliveryId: string; at: Date }[]> => {
    const won: boolean[] = [];
    for (let i = 0; i < docs.length; i += CLAIM_BATCH)
      won.push(...await Promise.all(docs.slice(i, i + CLAIM_BATCH).map(async (d) => (await M.deleteOne({ _id: d._id })).deletedCount === 1)));
    return docs.filter((_, i) => won[i]).map((d) => ({ deliveryId: d._id, at: d.at }));
  };
  return {
    async hold(h) {
      if (h.retry) await open.reopen(h.deliveryId, { dueAt: h.retry.at, job: h.retry.job });
      else await open.closeOpen([h.deliveryId]);
      try {
        await M.collection.insertOne({ _id: h.deliveryId, oaId: h.oaId, userId: h.userId, reason: h.reason, at: h.at } as never);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },
    release: async (oaId, userId) => claim(await M.find({ oaId, userId }).sort({ at: 1 }).lean()),
    releaseReason: async (oaId, reason) => claim(await M.find({ oaId, reason }).sort({ at: 1 }).lean()),
    count: (oaId) => M.countDocuments({ oaId }),
  };
}

/**
 * Erasure of an OA follower's activity facts and held deliveries (`/xoadulieu` on the OA): the
 * chat key "zalo-oa:<oa>:<user>" names them (OA chats are private: chat id = user id).
 */
export function zaloOaActivityEraser(conn: Connection): Eraser {
  return async ({ chatKey }): Promise<Record<string, number>> => {
    const m = /^zalo-oa:([^:]+):(.+)$/.exec(chatKey);
    if (!m) return {};
    const [, oaId, userId] = m as unknown as [string, string, string];
    const activity = (await zaloOaActivityModel(conn).deleteMany({ oaId, userId })).deletedCount ?? 0;
    const held = (await zaloOaHeldModel(conn).deleteMany({ oaId, userId })).deletedCount ?? 0;
    return { zaloOaActivity: activity, zaloOaHeld: held };
  };
}
