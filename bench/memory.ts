/**
 * Memory: resident memory of the product (`src/app/main.ts`, ROLE=all, one node process as
 * `npm start` runs it) idle with a district loaded — `npm run cli -- demo district` generates
 * the schools and linked guardians — sampled once a second for `idleSeconds` after it starts
 * polling the fake Bot API. The fan-out's peak RSS (the 10,000 run) is in the fan-out rows.
 */
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { FakeTelegram } from "../test/support/fake-telegram.js";
import { uniqueName } from "../test/support/test-config.js";
import { dropDatabase } from "../test/support/app-harness.js";
import { eventually } from "../test/support/eventually.js";
import { progress, root, rssMiBOf, type Services } from "./common.js";

const run = promisify(execFile);

export interface MemoryResult { schools: number; guardians: number; seedMs: number; idleRssMiB: number; peakRssMiB: number }

export async function memory(services: Services, schools: number, guardians: number, idleSeconds: number): Promise<MemoryResult> {
  const fake = await FakeTelegram.start();
  const db = uniqueName("bench-mem");
  const env = {
    PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "production",
    TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot,
    MONGODB_URI: services.mongo, MONGODB_DB: db, REDIS_URL: services.redis, QUEUE_PREFIX: db,
    LOG_LEVEL: "warn", PLAYGROUND: "false", DEMO_SEED: "false", HOST: "127.0.0.1", PORT: "0", ROLE: "all",
  };
  try {
    progress(`memory: generating a district of ${schools} schools and ${guardians} guardians`);
    const t0 = Date.now();
    await run(process.execPath, ["--import", "tsx", "src/app/cli.ts", "demo", "district", "--schools", String(schools), "--guardians", String(guardians)], { cwd: root, env });
    const seedMs = Date.now() - t0;
    const child = spawn(process.execPath, ["--import", "tsx", "src/app/main.ts"], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      await eventually(() => fake.calls("getUpdates").length > 0, { timeoutMs: 120_000, message: "the app did not start polling" });
      progress(`memory: idle for ${idleSeconds} s`);
      let peak = 0, last = 0;
      for (let i = 0; i < idleSeconds; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1_000)); // a benchmark's sampling interval, not a test
        last = rssMiBOf(child.pid!);
        peak = Math.max(peak, last);
      }
      return { schools, guardians, seedMs, idleRssMiB: last, peakRssMiB: peak };
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  } finally {
    await fake.close();
    await dropDatabase(services.mongo, db);
  }
}
