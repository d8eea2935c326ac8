/**
 * The test file's own database: opened by a `beforeAll` (registered where this is called, so
 * before the file's own `beforeAll` hooks that follow), closed and dropped by an `afterAll`
 * (after the file's own `afterAll` hooks). The returned object is filled in when the database
 * opens; read its fields inside tests and hooks.
 *
 * @example
 * const config = testConfig("people");
 * const db = useDatabase(config);
 * it("…", async () => { await db.models.School.create({ … }); });
 */
import { afterAll, beforeAll } from "vitest";
import type { Config } from "../../src/app/config.js";
import { openDatabase, type Database } from "../../src/store/mongo.js";
import { dropDatabase } from "./app-harness.js";

export function useDatabase(config: Config): Database {
  const db = {} as Database;
  beforeAll(async () => { Object.assign(db, await openDatabase(config.mongo.uri, config.mongo.db)); });
  afterAll(async () => {
    await db.close?.();
    await dropDatabase(config.mongo.uri, config.mongo.db);
  });
  return db;
}
