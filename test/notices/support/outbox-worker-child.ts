/**
 * A real outbox worker in its own process, so a test can kill it mid-broadcast (SIGKILL:
 * no graceful close, in-flight HTTP requests abandoned, BullMQ locks left to expire).
 * Configured by environment: MONGODB_URI, CHILD_DB, REDIS_URL, CHILD_PREFIX, CHILD_API_ROOT,
 * CHILD_TOKEN, CHILD_CONCURRENCY, CHILD_RATE. Prints "ready" once the worker runs.
 */
import { openDatabase } from "../../../src/store/mongo.js";
import { createDeliveryRepo } from "../../../src/store/deliveries.js";
import { createDirectory } from "../../../src/store/directory.js";
import { connectRedis } from "../../../src/jobs/redis.js";
import { startOutboxWorker } from "../../../src/jobs/outbox.js";
import { TelegramChannel } from "../../../src/channels/telegram/telegram-channel.js";
import { Translator } from "../../../src/i18n/fluent.js";

const env = process.env;
/** Warnings and errors to stderr (the test inherits it), so a failing run shows what the worker saw. */
const line = (level: string) => (obj: { err?: unknown }, msg: string) => {
  const err = obj.err instanceof Error ? obj.err.message : undefined;
  process.stderr.write(`outbox-worker-child ${process.pid} ${level}: ${msg}${err ? ` (${err})` : ""}\n`);
};
const quiet = { info: () => {}, warn: line("warn"), error: line("error") };
const db = await openDatabase(env.MONGODB_URI!, env.CHILD_DB!);
const connection = await connectRedis(env.REDIS_URL!, true);
const telegram = new TelegramChannel({ token: env.CHILD_TOKEN!, apiRoot: env.CHILD_API_ROOT!, logger: quiet });
const directory = createDirectory(db.models);
const worker = startOutboxWorker({
  connection, prefix: env.CHILD_PREFIX!, repo: createDeliveryRepo(db.models), senders: { telegram: telegram.bulk }, translator: new Translator(),
  ratePerSecond: Number(env.CHILD_RATE ?? 50), concurrency: Number(env.CHILD_CONCURRENCY ?? 4),
  onUnreachable: (d) => directory.markUnreachable(d.recipient), logger: quiet,
  // Short locks so the restarted worker takes over the killed one's jobs within seconds.
  lockDuration: 2_000, stalledInterval: 1_000,
});
await worker.waitUntilReady();
process.stdout.write("ready\n");
process.on("SIGTERM", () => void worker.close().then(() => process.exit(0)));
