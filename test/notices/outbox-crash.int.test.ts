import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Redis } from "ioredis";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { eventually } from "../support/eventually.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createQueues, type Queues } from "../../src/jobs/runtime.js";
import { createOutbox } from "../../src/jobs/outbox.js";
import { say } from "../../src/engine/say.js";
import { countByStatus, deliveryStates } from "../support/deliveries.js";

const CHILD = fileURLToPath(new URL("./support/outbox-worker-child.ts", import.meta.url));
const N = 40;
const CONCURRENCY = 4;
/** Sends that complete normally before the proxy starts holding answers. */
const COMPLETED_BEFORE_KILL = 12;
/** Of the held sends, this many did reach Telegram (the answer was lost); the others never left. */
const HELD_DELIVERED = 2;

/**
 * A proxy in front of the fake Bot API. After `completeFirst` sendMessage calls it stops
 * answering: the first `heldDelivered` held calls are forwarded (Telegram has sent the message)
 * but their answer never comes back; later ones are never forwarded. Either way the worker
 * sees a request in flight — exactly what a crash leaves behind.
 */
async function holdingProxy(target: string, completeFirst: number, heldDelivered: number) {
  let sends = 0;
  const held: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const isSend = /\/sendMessage$/.test(req.url ?? "");
      const forward = () => fetch(target + req.url, { method: req.method, headers: { "content-type": req.headers["content-type"] ?? "application/json" }, body: req.method === "GET" ? undefined : body });
      if (isSend && sends >= completeFirst) {
        const chatId = String((JSON.parse(body.toString()) as { chat_id: unknown }).chat_id);
        held.push(chatId);
        if (held.length <= heldDelivered) await forward().catch(() => undefined);
        return; // never answered
      }
      if (isSend) sends++;
      try {
        const answer = await forward();
        res.writeHead(answer.status, { "content-type": "application/json" }).end(Buffer.from(await answer.arrayBuffer()));
      } catch {
        res.destroy();
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, held, completed: () => sends, close: () => { server.closeAllConnections(); server.close(); } };
}

describe("outbox: a worker killed mid-broadcast and restarted", () => {
  const config = testConfig("outbox-crash");
  const db = useDatabase(config);
  let redis: Redis, queues: Queues, telegram: FakeTelegram;
  const children: ChildProcess[] = [];

  const startWorker = async (apiRoot: string) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
      env: { ...process.env, CHILD_DB: config.mongo.db, CHILD_PREFIX: config.redis.queuePrefix, CHILD_API_ROOT: apiRoot, CHILD_TOKEN: telegram.token, CHILD_CONCURRENCY: String(CONCURRENCY) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    let out = "";
    child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    await eventually(() => out.includes("ready"), { timeoutMs: 20_000, message: "worker child ready" });
    return child;
  };

  beforeAll(async () => {
    redis = await connectRedis(config.redis.url);
    queues = createQueues(redis, config.redis.queuePrefix);
    telegram = await FakeTelegram.start();
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    await queues.outbox.obliterate({ force: true });
    await queues.close();
    await redis.quit();
    await telegram.close();
  });

  it("misses no recipient, and sends a second copy only for sends in flight at the kill, which are marked possibleDuplicate", async () => {
    const account = telegram.token.split(":")[0]!;
    const chatIds = Array.from({ length: N }, (_, i) => 8_100_000 + i);
    for (const id of chatIds) telegram.knownChat(id);
    const outbox = createOutbox(queues.outbox, createDeliveryRepo(db.models));
    await outbox.enqueueGroup("crash-test", chatIds.map((id) => ({
      key: `crash-${id}`, recipient: { channel: "telegram", account, userId: String(id), chatId: String(id) }, messages: [say("notice-manage-done")],
    })));
    // Job data holds the delivery id only.
    const jobs = await queues.outbox.getJobs(["waiting", "delayed"]);
    expect(jobs).toHaveLength(N);
    expect(jobs.every((j) => Object.keys(j.data).join() === "deliveryId")).toBe(true);

    // First worker: runs until every concurrency slot is stuck on a request, then is killed.
    const proxy = await holdingProxy(telegram.apiRoot, COMPLETED_BEFORE_KILL, HELD_DELIVERED);
    const first = await startWorker(proxy.url);
    // Bounded generously: on a loaded CI machine the 16 sends before the hold have taken over
    // 20 s. The failure says how far the worker got and whether it was still alive.
    await eventually(async () => {
      if (proxy.held.length >= CONCURRENCY) return true;
      const exited = first.exitCode !== null || first.signalCode !== null ? `, worker exited (${first.exitCode ?? first.signalCode})` : "";
      throw new Error(`${proxy.completed()} sends answered, ${proxy.held.length} held; ${await countByStatus(db.models, "sent")} sent, ${await countByStatus(db.models, "sending")} sending${exited}`);
    }, { timeoutMs: 60_000, intervalMs: 100, message: "every slot in flight" });
    first.kill("SIGKILL");
    await once(first, "exit");
    proxy.close();
    expect(proxy.held).toHaveLength(CONCURRENCY); // one request per slot, no more
    const inFlight = proxy.held.map(Number);
    expect(await countByStatus(db.models, "sending")).toBe(CONCURRENCY);
    expect(await countByStatus(db.models, "sent")).toBe(COMPLETED_BEFORE_KILL);

    // Restarted worker, straight to the Bot API: picks up the stalled and the waiting jobs.
    const second = await startWorker(telegram.apiRoot);
    await eventually(async () => (await countByStatus(db.models, "sent", "crash-test")) === N, { timeoutMs: 60_000, intervalMs: 100, message: "all sent after restart" });
    second.kill("SIGTERM");
    await once(second, "exit");

    const copies = new Map(chatIds.map((id) => [id, telegram.sent({ chatId: id, method: "sendMessage" }).length]));
    expect([...copies.values()].every((n) => n >= 1)).toBe(true); // nobody missed
    const twice = chatIds.filter((id) => copies.get(id) === 2);
    expect(twice.sort()).toEqual(inFlight.slice(0, HELD_DELIVERED).sort()); // second copies only where Telegram had sent before the kill
    expect([...copies.values()].every((n) => n <= 2)).toBe(true);
    const flagged = (await deliveryStates(db.models, "crash-test")).filter((d) => d.possibleDuplicate).map((d) => Number(d.recipient.chatId));
    expect(flagged.sort()).toEqual([...inFlight].sort()); // exactly the sends in flight at the kill
  }, 180_000); // two worker processes started (each loads the app under tsx) and one killed
});
