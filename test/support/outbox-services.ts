/**
 * The real parts an outbox test runs on — its database, two Redis connections (the worker's
 * blocking one apart) and the queues — opened together and closed in the one safe order
 * (queue emptied, queues, Redis, database dropped). The platform fake stays the test's own.
 */
import type { Redis } from "ioredis";
import { openDatabase, type Database } from "../../src/store/mongo.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createQueues, type Queues } from "../../src/jobs/runtime.js";
import { dropDatabase } from "./app-harness.js";
import type { testConfig } from "./test-config.js";

export interface OutboxServices {
  db: Database;
  redis: Redis;
  workerRedis: Redis;
  queues: Queues;
  /** Empties the outbox queue and closes everything; the test closes its worker first. */
  stop(): Promise<void>;
}

export async function openOutboxServices(config: ReturnType<typeof testConfig>): Promise<OutboxServices> {
  const db = await openDatabase(config.mongo.uri, config.mongo.db);
  const redis = await connectRedis(config.redis.url);
  const workerRedis = await connectRedis(config.redis.url, true);
  const queues = createQueues(redis, config.redis.queuePrefix);
  return {
    db, redis, workerRedis, queues,
    async stop() {
      await queues.outbox.obliterate({ force: true });
      await queues.close();
      await Promise.all([redis.quit(), workerRedis.quit()]);
      await db.close();
      await dropDatabase(config.mongo.uri, config.mongo.db);
    },
  };
}
