/**
 * The notices feature over the real MongoDB-compatible server, Redis and BullMQ, with a fake
 * clock, for integration tests: its own database and queue prefix, the real outbox (no outbox
 * worker unless a test starts one) and the real notice worker on demand.
 */
import type { Redis } from "ioredis";
import type { Worker } from "bullmq";
import { testConfig } from "../../support/test-config.js";
import { dropDatabase } from "../../support/app-harness.js";
import { FakeClock } from "../../support/fakes.js";
import { openDatabase, type Database } from "../../../src/store/mongo.js";
import { registerNoticeModels, ensureNoticeIndexes, type NoticeModels } from "../../../src/store/notice-models.js";
import { createDeliveryRepo } from "../../../src/store/deliveries.js";
import { connectRedis } from "../../../src/jobs/redis.js";
import { createQueues, type Queues } from "../../../src/jobs/runtime.js";
import { createOutbox } from "../../../src/jobs/outbox.js";
import { QUEUES } from "../../../src/jobs/queues.js";
import { createNoticeJobs, startNoticeWorker } from "../../../src/jobs/notice-jobs.js";
import { createNotices, type NoticeDeps, type Notices } from "../../../src/features/notices/index.js";
import type { Config } from "../../../src/app/config.js";

export interface NoticeHarness {
  config: Config;
  db: Database;
  redis: Redis;
  queues: Queues;
  N: NoticeModels;
  clock: FakeClock;
  deps: NoticeDeps;
  feature: Notices;
  /** Starts the notice worker (closed by `stop`). */
  startWorker(): Promise<Worker>;
  /** Deletes every Redis key of this test's queue prefix (never FLUSHALL: other tests share the server). */
  wipeRedisPrefix(): Promise<number>;
  stop(): Promise<void>;
}

export async function startNoticeHarness(label: string, options: { outbox?: NoticeDeps["outbox"] } = {}): Promise<NoticeHarness> {
  const config = testConfig(label);
  const db = await openDatabase(config.mongo.uri, config.mongo.db);
  const redis = await connectRedis(config.redis.url);
  const workerRedis = await connectRedis(config.redis.url, true);
  const queues = createQueues(redis, config.redis.queuePrefix);
  const N = registerNoticeModels(db.conn);
  await ensureNoticeIndexes(N);
  const clock = new FakeClock(new Date("2026-09-14T02:00:00Z")); // Monday 09:00 local
  const deps: NoticeDeps = {
    models: db.models, notices: N, outbox: options.outbox ?? createOutbox(queues.outbox, createDeliveryRepo(db.models), () => clock.now()),
    jobs: createNoticeJobs(queues.get(QUEUES.broadcasts), clock, { backoffMs: 50 }), clock,
  };
  const feature = createNotices(deps);
  const workers: Worker[] = [];
  return {
    config, db, redis, queues, N, clock, deps, feature,
    async startWorker() {
      const w = startNoticeWorker({ connection: workerRedis, prefix: config.redis.queuePrefix, handlers: feature.handlers });
      workers.push(w);
      await w.waitUntilReady();
      return w;
    },
    async wipeRedisPrefix() {
      let n = 0;
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${config.redis.queuePrefix}:*`, "COUNT", 500);
        cursor = next;
        if (keys.length) n += await redis.del(...keys);
      } while (cursor !== "0");
      return n;
    },
    async stop() {
      for (const w of workers.splice(0)) await w.close();
      await queues.get(QUEUES.broadcasts).obliterate({ force: true });
      await queues.outbox.obliterate({ force: true });
      await queues.close();
      await Promise.all([redis.quit(), workerRedis.quit()]);
      await db.close();
      await dropDatabase(config.mongo.uri, config.mongo.db);
    },
  };
}
