/**
 * Opens the MongoDB connection and builds every model's indexes. Works against MongoDB 7+ and
 * FerretDB 1.24 alike.
 */
import mongoose, { type Connection, type Model } from "mongoose";
import { registerModels, type Models } from "./models.js";

/** An open database: the connection and the models registered on it. */
export interface Database {
  conn: Connection;
  models: Models;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Connects (failing fast when the server is down) and ensures indexes. */
export async function openDatabase(uri: string, dbName: string, options: { serverSelectionTimeoutMS?: number } = {}): Promise<Database> {
  const conn = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5_000,
    autoIndex: false,
    autoCreate: true,
  });
  await conn.asPromise();
  const models = registerModels(conn);
  await ensureCollections(Object.values(models));
  return {
    conn,
    models,
    async ping() {
      try {
        await conn.db!.admin().command({ ping: 1 });
        return true;
      } catch {
        return false;
      }
    },
    close: () => conn.close(),
  };
}

/**
 * Creates each model's collection (tolerating one that exists) and builds its indexes.
 * Explicit because `autoIndex` is off: index builds happen once at start, not lazily.
 */
export async function ensureCollections(models: Model<any>[]): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any -- any model
  for (const model of models) {
    await model.createCollection().catch((err: { codeName?: string }) => {
      if (err.codeName !== "NamespaceExists") throw err;
    });
    await model.createIndexes();
  }
}
