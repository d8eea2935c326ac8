/**
 * The fault suite's stack in one call: a private Redis and FerretDB (test/support/processes.ts),
 * a fake Telegram, the test's own database handle, and the app processes it starts — all torn
 * down by one `stop()` in the order that leaves nothing running: processes killed first, then
 * the test's clients, the fakes, and last (whatever else failed) the private services.
 */
import type { Redis } from "ioredis";
import { appProcess, killAll, startStack, type AppProcess, type AppProcessOptions, type PrivateStack } from "./processes.js";
import { FakeTelegram, type FakeTelegramOptions } from "./fake-telegram.js";
import { openDatabase, type Database } from "../../src/store/mongo.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createQueues, type Queues } from "../../src/jobs/runtime.js";

/**
 * The time `stop()` may take: dropping the private PostgreSQL database can take a while on a
 * loaded machine (its psql call allows 120 s); the fault tests' `afterAll` allows this long.
 */
export const STOP_TIMEOUT_MS = 150_000;

export interface FaultStack {
  services: PrivateStack;
  /** The stack's fake Telegram (its bot is every app process's, unless `app` is given another). */
  telegram: FakeTelegram;
  /** The bot's account id (the token's first part), as event ids and chat keys carry it. */
  account: string;
  /** The test's own handle on the app's database. */
  db: Database;
  /** The test's own Redis connection and queues on the app's prefix, opened on first call. */
  clients(): Promise<{ redis: Redis; queues: Queues }>;
  /** Another fake Telegram (another bot), closed by `stop`. */
  addTelegram(options?: FakeTelegramOptions): Promise<FakeTelegram>;
  /**
   * An app process (not started) on this stack, talking to `telegram` (the stack's by default),
   * with `env` on top; killed by `stop`.
   */
  app(o: Omit<AppProcessOptions, "env"> & { env?: Record<string, string>; telegram?: FakeTelegram }): Promise<AppProcess>;
  stop(): Promise<void>;
}

/**
 * Starts the private services and the fake Telegram side by side and opens the test's database
 * handle.
 *
 * @example
 * let s: FaultStack;
 * beforeAll(async () => { s = await startFaultStack("worker-kill"); }, 120_000);
 * afterAll(() => s?.stop(), STOP_TIMEOUT_MS);
 */
export async function startFaultStack(label: string): Promise<FaultStack> {
  const [services, telegram] = await Promise.all([startStack(label), FakeTelegram.start()]);
  const fakes = [telegram];
  const processes: AppProcess[] = [];
  let db: Database | undefined;
  let clients: { redis: Redis; queues: Queues } | undefined;
  const stop = async () => {
    // The private services go whatever else fails: nothing may outlive the test.
    try {
      await killAll(processes);
      await clients?.queues.close();
      await clients?.redis.quit();
      await db?.close();
      for (const f of fakes) await f.close();
    } finally {
      await services.destroy();
    }
  };
  try {
    db = await openDatabase(services.ferret.uri, services.db);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    services, telegram, db, account: telegram.token.split(":")[0]!,
    async clients() {
      if (!clients) {
        const redis = await connectRedis(services.redis.url);
        clients = { redis, queues: createQueues(redis, services.prefix) };
      }
      return clients;
    },
    async addTelegram(options) {
      const fake = await FakeTelegram.start(options);
      fakes.push(fake);
      return fake;
    },
    async app({ env = {}, telegram: bot = telegram, ...o }) {
      const p = await appProcess({ ...o, env: services.env({ TELEGRAM_BOT_TOKEN: bot.token, TELEGRAM_API_ROOT: bot.apiRoot, ...env }) });
      processes.push(p);
      return p;
    },
    stop,
  };
}
