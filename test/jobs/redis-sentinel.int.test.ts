import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Queue, Worker } from "bullmq";
import { connectRedis, redisTarget } from "../../src/jobs/redis.js";
import { freePort, startRedis, tempDir, type PrivateRedis } from "../support/processes.js";
import { eventually } from "../support/eventually.js";

describe("REDIS_URL as a Redis Sentinel URL", () => {
  it("reads hosts, master name, password and db", () => {
    expect(redisTarget("redis-sentinel://:s3cret@10.0.0.1:26379,10.0.0.2:26380/sll-master?db=2")).toEqual({
      sentinels: [{ host: "10.0.0.1", port: 26379 }, { host: "10.0.0.2", port: 26380 }], name: "sll-master", db: 2, password: "s3cret",
    });
    expect(redisTarget("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
    expect(() => redisTarget("redis-sentinel://10.0.0.1:26379")).toThrow(/master name/);
  });

  describe("against a real sentinel", { timeout: 60_000 }, () => {
    let master: PrivateRedis;
    let sentinel: ChildProcess | undefined;
    let sentinelPort = 0;
    const dir = tempDir("sentinel");

    beforeAll(async () => {
      master = await startRedis("sentinel-master");
      sentinelPort = await freePort();
      const conf = join(dir.path, "sentinel.conf");
      writeFileSync(conf, `port ${sentinelPort}\nbind 127.0.0.1\ndir ${dir.path}\nsentinel monitor sll 127.0.0.1 ${master.port} 1\n`);
      sentinel = spawn("redis-server", [conf, "--sentinel"], { stdio: "ignore" });
      const masterKnown = () => {
        try {
          return execFileSync("redis-cli", ["-h", "127.0.0.1", "-p", String(sentinelPort), "sentinel", "get-master-addr-by-name", "sll"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 2_000 }).includes(String(master.port));
        } catch {
          return false;
        }
      };
      await eventually(masterKnown, { timeoutMs: 20_000, intervalMs: 50, message: "sentinel does not know the master" });
    });
    afterAll(async () => {
      sentinel?.kill("SIGKILL");
      await master?.destroy();
      dir.cleanup();
    });

    it("finds the master through the sentinel and runs a BullMQ job on it", async () => {
      const url = `redis-sentinel://127.0.0.1:${sentinelPort}/sll`;
      const redis = await connectRedis(url);
      const worker = await connectRedis(url, true);
      try {
        expect(await redis.ping()).toBe("PONG");
        // The data lands on the monitored master.
        await redis.set("sentinel-probe", "ok");
        const direct = await connectRedis(master.url);
        expect(await direct.get("sentinel-probe")).toBe("ok");
        await direct.quit();

        const queue = new Queue("sentinel-test", { connection: redis, prefix: "{sll}" });
        let received!: (hello: string) => void;
        const done = new Promise<string>((resolve) => (received = resolve));
        const w = new Worker("sentinel-test", async (job) => { received(job.data.hello); return "ok"; }, { connection: worker, prefix: "{sll}" });
        await queue.add("probe", { hello: "xin chào" });
        expect(await done).toBe("xin chào");
        await w.close();
        await queue.close();
      } finally {
        redis.disconnect();
        worker.disconnect();
      }
    });
  });
});
