/**
 * Zalo OA token pairs, one document per generation. Refresh tokens are single-use and rotate,
 * so a rotation is never an update (on FerretDB an update is not a compare-and-set and may be
 * lost): each new pair is an insert of `_id = "<oaId>#<version>"` (zero-padded), the newest
 * version is the current pair, and a second writer of the same version gets `false`. "Needs
 * reconnect" is a fact on the generation whose refresh failed (`zalo_oa_token_faults`,
 * `_id = "<oaId>#<version>"`); a new connection (a newer generation) clears it by existing.
 * Token values arrive sealed (AES-256-GCM, src/channels/zalo-oa/token-cipher.ts): this
 * module never sees a token in clear. Older generations beyond the last few are pruned.
 */
import { Schema, type Connection, type Model } from "mongoose";
import { isDuplicateKey } from "./models.js";

/** One stored token pair (values sealed). */
export interface OaTokenGeneration {
  oaId: string;
  version: number;
  accessSealed: string;
  refreshSealed: string;
  accessExpiresAt: Date;
  /** When this refresh token was issued (it lives 3 months). */
  refreshIssuedAt: Date;
  /** "connect" (OAuth callback / seeded) or "refresh". */
  source: "connect" | "refresh";
  createdAt: Date;
}

export interface OaTokenFault {
  oaId: string;
  version: number;
  /** Short reason code, never a token ("refresh-refused", …). */
  reason: string;
  at: Date;
}

export interface OaTokenRepository {
  /** The newest generation of an OA's tokens. */
  latest(oaId: string): Promise<OaTokenGeneration | undefined>;
  /** Inserts a generation; `false` when that version already exists (someone else rotated). */
  insert(generation: OaTokenGeneration): Promise<boolean>;
  /** Records that `version` could not be refreshed (idempotent). */
  markNeedsReconnect(fault: OaTokenFault): Promise<void>;
  fault(oaId: string, version: number): Promise<OaTokenFault | undefined>;
  /** Deletes generations older than the newest `keep`. */
  prune(oaId: string, keep: number): Promise<number>;
}

type GenerationDoc = OaTokenGeneration & { _id: string };
type FaultDoc = OaTokenFault & { _id: string };

const generationSchema = new Schema<GenerationDoc>({
  _id: { type: String, required: true },
  oaId: { type: String, required: true },
  version: { type: Number, required: true },
  accessSealed: { type: String, required: true },
  refreshSealed: { type: String, required: true },
  accessExpiresAt: { type: Date, required: true },
  refreshIssuedAt: { type: Date, required: true },
  source: { type: String, required: true },
  createdAt: { type: Date, required: true },
}, { versionKey: false });
generationSchema.index({ oaId: 1, version: -1 });

const faultSchema = new Schema<FaultDoc>({
  _id: { type: String, required: true },
  oaId: { type: String, required: true },
  version: { type: Number, required: true },
  reason: { type: String, required: true },
  at: { type: Date, required: true },
}, { versionKey: false });

/** The models, registered on `conn` (call `ensureCollections` on them at start). */
export function zaloOaTokenModels(conn: Connection): { Generation: Model<GenerationDoc>; Fault: Model<FaultDoc> } {
  return {
    Generation: (conn.models.ZaloOaToken as Model<GenerationDoc> | undefined) ?? conn.model<GenerationDoc>("ZaloOaToken", generationSchema, "zalo_oa_tokens"),
    Fault: (conn.models.ZaloOaTokenFault as Model<FaultDoc> | undefined) ?? conn.model<FaultDoc>("ZaloOaTokenFault", faultSchema, "zalo_oa_token_faults"),
  };
}

const key = (oaId: string, version: number) => `${oaId}#${String(version).padStart(8, "0")}`;
const strip = <T extends { _id: string }>(doc: T): Omit<T, "_id"> => {
  const { _id: _ignored, ...rest } = doc;
  return rest;
};

export function createZaloOaTokenRepository(conn: Connection): OaTokenRepository {
  const { Generation, Fault } = zaloOaTokenModels(conn);
  return {
    async latest(oaId) {
      const doc = await Generation.findOne({ oaId }).sort({ version: -1 }).lean();
      return doc ? (strip(doc as GenerationDoc) as OaTokenGeneration) : undefined;
    },
    async insert(g) {
      try {
        await Generation.collection.insertOne({ _id: key(g.oaId, g.version), ...g } as never);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async markNeedsReconnect(f) {
      try {
        await Fault.collection.insertOne({ _id: key(f.oaId, f.version), ...f } as never);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },
    async fault(oaId, version) {
      const doc = await Fault.findById(key(oaId, version)).lean();
      return doc ? (strip(doc as FaultDoc) as OaTokenFault) : undefined;
    },
    async prune(oaId, keep) {
      const newest = await Generation.find({ oaId }).sort({ version: -1 }).skip(keep - 1).limit(1).lean();
      const floor = newest[0]?.version;
      if (floor === undefined) return 0;
      const res = await Generation.deleteMany({ oaId, version: { $lt: floor } });
      return res.deletedCount ?? 0;
    },
  };
}

/**
 * A started `zalo-oa connect`: the OAuth `state` (the `_id`) and its PKCE verifier (sealed).
 * The callback uses it once: it inserts `<state>` into `zalo_oa_connection_uses`, so two
 * callbacks with the same state (a reload, a replay) cannot both exchange a code.
 */
export interface OaPendingConnection {
  state: string;
  verifierSealed: string;
  createdAt: Date;
}

type PendingDoc = { _id: string; verifierSealed: string; createdAt: Date };
const pendingSchema = new Schema<PendingDoc>({
  _id: { type: String, required: true },
  verifierSealed: { type: String, required: true },
  createdAt: { type: Date, required: true },
}, { versionKey: false });
const useSchema = new Schema<{ _id: string; at: Date }>({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false });

export interface OaConnectionRepository {
  start(pending: OaPendingConnection): Promise<void>;
  find(state: string): Promise<OaPendingConnection | undefined>;
  /** True for the first use of `state`, false ever after. */
  use(state: string, at: Date): Promise<boolean>;
}

export function createZaloOaConnectionRepository(conn: Connection): OaConnectionRepository {
  const Pending = (conn.models.ZaloOaConnection as Model<PendingDoc> | undefined) ?? conn.model<PendingDoc>("ZaloOaConnection", pendingSchema, "zalo_oa_connections");
  const Use = (conn.models.ZaloOaConnectionUse as Model<{ _id: string; at: Date }> | undefined) ?? conn.model("ZaloOaConnectionUse", useSchema, "zalo_oa_connection_uses");
  return {
    async start(p) {
      await Pending.collection.insertOne({ _id: p.state, verifierSealed: p.verifierSealed, createdAt: p.createdAt } as never);
    },
    async find(state) {
      const doc = await Pending.findById(state).lean();
      return doc ? { state: doc._id, verifierSealed: doc.verifierSealed, createdAt: doc.createdAt } : undefined;
    },
    async use(state, at) {
      try {
        await Use.collection.insertOne({ _id: state, at } as never);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
  };
}
