/**
 * Opens the MongoDB connection and builds every model's indexes. Works against MongoDB 7+ and
 * FerretDB 1.24 alike.
 */
import mongoose, { type Connection } from "mongoose";
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
  for (const model of Object.values(models)) {
    await model.createCollection().catch((err: { codeName?: string }) => {
      if (err.codeName !== "NamespaceExists") throw err;
    });
    await model.createIndexes();
  }
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
