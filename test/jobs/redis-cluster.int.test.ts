import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { Redis } from "ioredis";
import { clusterTarget, connectRedis, keyPrefix } from "../../src/jobs/redis.js";
import { createOutbox } from "../../src/jobs/outbox.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { say } from "../../src/engine/say.js";
import { startRedisCluster, type PrivateRedisCluster } from "../support/processes.js";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { deliveryStates } from "../support/deliveries.js";
import { eventually } from "../support/eventually.js";

describe("REDIS_URL as a Redis Cluster URL", () => {
  it("reads the nodes and credentials; hash-tags the key prefix on a cluster only", () => {
    expect(clusterTarget("redis-cluster://:s3cret@10.0.0.1:7000,10.0.0.2:7001,10.0.0.3")).toEqual({
      nodes: [{ host: "10.0.0.1", port: 7000 }, { host: "10.0.0.2", port: 7001 }, { host: "10.0.0.3", port: 6379 }], auth: { password: "s3cret" },
    });
    expect(clusterTarget("redis://127.0.0.1:6379")).toBeUndefined();
    expect(() => clusterTarget("redis-cluster://10.0.0.1:7000/sll")).toThrow(/redis-cluster:\/\//);
    expect(keyPrefix("redis-cluster://10.0.0.1:7000", "sll")).toBe("{sll}");
    expect(keyPrefix("redis-cluster://10.0.0.1:7000", "{sll}")).toBe("{sll}");
    expect(keyPrefix("redis://127.0.0.1:6379", "sll")).toBe("sll");
    expect(keyPrefix("redis-sentinel://127.0.0.1:26379/sll", "sll")).toBe("sll");
  });

  it("connectRedis (one server) refuses a cluster URL rather than hand back the wrong client", async () => {
    await expect(connectRedis("redis-cluster://127.0.0.1:7000")).rejects.toThrow(/connectRedisClient/);
  });

  describe("the app on a real 3-master cluster", { timeout: 180_000 }, () => {
    let cluster: PrivateRedisCluster;
    let t: TestApp;

    beforeAll(async () => {
      cluster = await startRedisCluster("cluster");
      t = await startTestApp("redis-cluster", { env: { REDIS_URL: cluster.url } });
    }, 180_000);
    afterAll(async () => {
      try {
        await t?.stop();
      } finally {
        await cluster?.destroy();
      }
    }, 60_000);

    it("answers chats (chat lock, throttle), sends through the outbox and runs a job scheduler, every key in its prefix's slot", async () => {
      const prefix = t.app.config.redis.queuePrefix;
      expect(prefix).toMatch(/^\{t-redis-cluster-[0-9a-f]+\}$/);

      // Turns: the chat lock (a MULTI of the lock and its waiters) and the wrong-code throttle (Lua).
      const user = { id: 8_800_001, first_name: "Lan" };
      expect(await t.say(user, "/start")).not.toBe("");
      expect(await t.say(user, "/lienket SAI-MA-9")).not.toBe("");

      // The outbox: a delivery through the fake Telegram.
      const account = t.app.telegram!.account;
      t.telegram.knownChat(8_800_100);
      await createOutbox(t.app.queues.outbox, createDeliveryRepo(t.app.db.models)).enqueueGroup("cluster", [{
        key: "cluster-1", recipient: { channel: "telegram", account, userId: "8800100", chatId: "8800100" }, messages: [say("notice-manage-done")],
      }]);
      await eventually(async () => (await deliveryStates(t.app.db.models, "cluster")).every((d) => d.status === "sent"), { timeoutMs: 30_000, intervalMs: 200, message: "delivery sent" });
      expect(t.telegram.sent({ chatId: 8_800_100 })).toHaveLength(1);

      // A job scheduler's run (recovery, every 30 s), and the reconciler's pipelined EXISTS.
      await eventually(async () => (await t.app.queues.maintenance.getJobs(["completed"])).some((j) => j.name === "recover-inbound"),
        { timeoutMs: 90_000, intervalMs: 500, message: "a recover-inbound run completed" });
      expect(await t.app.reconcile!()).toBe(0);

      // Every key the app wrote is in the slot of the prefix's hash tag: on one master, none elsewhere.
      const perMaster = await Promise.all(cluster.masters.map(async (m) => {
        const node = new Redis(m.url);
        try {
          return await node.keys("*");
        } finally {
          node.disconnect();
        }
      }));
      const all = perMaster.flat();
      expect(all.filter((k) => k.startsWith(`${prefix}:throttle:`))).toHaveLength(1);
      expect(all.filter((k) => k.startsWith(`${prefix}:outbox:`)).length).toBeGreaterThan(0);
      expect(all.filter((k) => !k.startsWith(`${prefix}:`))).toEqual([]);
      expect(perMaster.filter((keys) => keys.length > 0)).toHaveLength(1);
      const check = new Redis(cluster.masters[0]!.url);
      try {
        const slot = Number(await check.call("CLUSTER", "KEYSLOT", prefix));
        const slots = new Set(await Promise.all(all.map(async (k) => Number(await check.call("CLUSTER", "KEYSLOT", k)))));
        expect([...slots]).toEqual([slot]);
      } finally {
        check.disconnect();
      }
    });
  });
});
