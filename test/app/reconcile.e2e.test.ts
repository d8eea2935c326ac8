/**
 * Issue 8, item 8, through the real app: Redis loses its data (this test deletes the keys of its
 * own queue prefix, never FLUSHALL: the Redis is shared) and the app's reconciler — the
 * `reconcile` scheduler's run, and the run at start — rebuilds the outbox's jobs from MongoDB,
 * without sending anything twice.
 */
import { describe, it, expect } from "vitest";
import { startTestApp, dropDatabase, type TestApp } from "../support/app-harness.js";
import { uniqueName } from "../support/test-config.js";
import { eventually } from "../support/eventually.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { jobId } from "../../src/jobs/queues.js";
import { say } from "../../src/engine/say.js";

describe("the app rebuilds Redis-held jobs from MongoDB", () => {
  const name = uniqueName("reconcile-app");
  const env = { MONGODB_DB: name, QUEUE_PREFIX: name };
  let t: TestApp | undefined;

  async function flushOurPrefix(): Promise<void> {
    const redis = await connectRedis(process.env.REDIS_URL!);
    const keys = await redis.keys(`${name}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }

  it("after a flush mid-run and after a restart, a held delivery gets its job back and a sent one is not sent again", async () => {
    const telegram = await FakeTelegram.start();
    try {
      t = await startTestApp("reconcile-app", { env, telegram });
      const account = t.app.telegram!.account;
      const to = (id: string) => ({ channel: "telegram" as const, account, userId: id, chatId: id });
      // Both parents have opened the bot (Telegram refuses chats that never started it).
      for (const id of [7001, 7002]) await t.say({ id, first_name: "Phụ huynh", language_code: "vi" }, "/trogiup");
      const before = { now: telegram.sent({ chatId: 7001 }).length, held: telegram.sent({ chatId: 7002 }).length };
      await t.app.services.outbox.enqueue([
        { key: "rec-now", recipient: to("7001"), messages: [say("notice-manage-done")] },
        { key: "rec-held", recipient: to("7002"), messages: [say("notice-manage-done")], notBefore: new Date(Date.now() + 3_600_000) },
      ]);
      await eventually(() => expect(telegram.sent({ chatId: 7001 })).toHaveLength(before.now + 1), { timeoutMs: 20_000 });
      const held = () => t!.app.queues.outbox.getJob(jobId("d", "rec-held"));
      expect(await (await held())?.getState()).toBe("delayed");

      await flushOurPrefix();
      expect(await held()).toBeUndefined();
      expect(await t.app.reconcile!()).toBe(1);
      expect(await (await held())?.getState()).toBe("delayed");
      expect(await t.app.reconcile!()).toBe(0);

      // Redis loses its data while no worker runs: the next start rebuilds the job.
      await t.app.stop(); // the app only: the harness's stop() would drop the database too
      t = undefined;
      await flushOurPrefix();
      t = await startTestApp("reconcile-app", { env, telegram });
      expect(await (await t.app.queues.outbox.getJob(jobId("d", "rec-held")))?.getState()).toBe("delayed");
      expect((await t.app.queues.maintenance.getJobSchedulers()).map((s) => s.key)).toContain("reconcile");
      expect(await t.app.reconcile!()).toBe(0);
      expect(telegram.sent({ chatId: 7001 })).toHaveLength(before.now + 1);
      expect(telegram.sent({ chatId: 7002 })).toHaveLength(before.held);
    } finally {
      await t?.stop();
      t = undefined;
      await telegram.close();
      await dropDatabase(process.env.MONGODB_URI!, name);
    }
  });
});
