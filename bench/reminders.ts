/**
 * Reminders: N meeting reminders due in the same minute, through the product's scheduler
 * (`createReminderScheduler`, BullMQ delayed jobs with deterministic ids) and its worker
 * (`startReminderWorker`, production concurrency) on the real Redis. The handler only notes
 * when it started, so this measures the job layer: how late the first reminder starts after
 * its due time, and the p99 / last of job start after due. What each reminder then sends is the
 * fan-out's business (measured there).
 */
import { connectRedis } from "../src/jobs/redis.js";
import { createQueues } from "../src/jobs/runtime.js";
import { QUEUES } from "../src/jobs/queues.js";
import { createReminderScheduler, startReminderWorker } from "../src/jobs/meeting-reminders.js";
import { uniqueName } from "../test/support/test-config.js";
import { progress, quantile, type Services } from "./common.js";

export interface RemindersResult { reminders: number; scheduleMs: number; firstLateMs: number; p99LateMs: number; lastLateMs: number }

export async function reminders(services: Services, n: number): Promise<RemindersResult> {
  const prefix = uniqueName("bench-rem");
  const redis = await connectRedis(services.redis);
  const workerRedis = await connectRedis(services.redis, true);
  const queues = createQueues(redis, prefix);
  const queue = queues.get(QUEUES.meetingReminders);
  const clock = { now: () => new Date() };
  const scheduler = createReminderScheduler(queue, clock);
  // Due 20 s from now, all in the same minute (spread over its first second, as one ladder rung
  // of many meetings at 19:00 would be).
  const due = Date.now() + 20_000;
  const dueOf = new Map<string, number>();
  progress(`reminders: scheduling ${n} reminders due in one minute`);
  const t0 = Date.now();
  for (let start = 0; start < n; start += 500) {
    await Promise.all(Array.from({ length: Math.min(500, n - start) }, (_, k) => {
      const id = `m${start + k}`;
      const at = due + ((start + k) % 1_000);
      dueOf.set(id, at);
      return scheduler.schedule(id, 1, [{ offset: "1d", at: new Date(at) }]);
    }));
  }
  const scheduleMs = Date.now() - t0;
  const late: number[] = [];
  let finished!: () => void;
  const done = new Promise<void>((resolve) => { finished = resolve; });
  const worker = startReminderWorker({
    connection: workerRedis, prefix,
    run: async (job) => {
      late.push(Date.now() - dueOf.get(job.meetingId)!);
      if (late.length === n) finished();
      return "sent";
    },
  });
  await done;
  await worker.close();
  const firstLateMs = late[0]!;
  late.sort((a, b) => a - b);
  await queue.obliterate({ force: true });
  await queues.close();
  await Promise.all([redis.quit(), workerRedis.quit()]);
  return { reminders: n, scheduleMs, firstLateMs, p99LateMs: quantile(late, 0.99), lastLateMs: late[late.length - 1]! };
}
