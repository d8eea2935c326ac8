/**
 * Real processes for the fault suite (test/faults): a private Redis, a private FerretDB and
 * the app itself (`node --import tsx src/app/main.ts`, ROLE=web|worker|all), each started,
 * stopped and killed by the test. The private services never touch the shared ones of
 * `.cache/services.env`: their own ports, their own data directory, and for FerretDB its own
 * PostgreSQL database in the same cluster (`scripts/services.sh` provisions the cluster and
 * builds the FerretDB binary). Readiness is awaited by polling with a bound, never a sleep.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { eventually } from "./eventually.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** A free TCP port on loopback (bound then released; the caller binds it next). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

/** A temporary folder of the test's own (removed by `cleanup`). */
export function tempDir(label: string): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), `sll-${label}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Waits for a child to exit (resolves at once if it already has). */
async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await once(child, "exit");
}

async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals, graceMs = 15_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited(child);
  clearTimeout(timer);
}

// ---- Redis ----------------------------------------------------------------------------------

export interface PrivateRedis {
  url: string;
  port: number;
  /** Stops the server (SHUTDOWN: the AOF is written, as a clean stop would). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  destroy(): Promise<void>;
}

/** A redis-server of the test's own: random free port, AOF and noeviction as in production (plus `args`). */
export async function startRedis(label: string, args: string[] = []): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = tempDir(`redis-${label}`);
  let child: ChildProcess | undefined;
  const ping = () => {
    try {
      return execFileSync("redis-cli", ["-h", "127.0.0.1", "-p", String(port), "ping"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 2_000 }).trim() === "PONG";
    } catch {
      return false;
    }
  };
  const start = async () => {
    child = spawn("redis-server", ["--bind", "127.0.0.1", "--port", String(port), "--dir", dir.path, "--appendonly", "yes",
      "--appendfsync", "everysec", "--maxmemory-policy", "noeviction", "--save", "", "--logfile", join(dir.path, "redis.log"), ...args], { stdio: "ignore" });
    await eventually(() => ping(), { timeoutMs: 15_000, intervalMs: 50, message: `private redis on ${port}` });
  };
  const stop = () => stopChild(child, "SIGTERM");
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop, async destroy() { await stopChild(child, "SIGKILL"); dir.cleanup(); } };
}

export interface PrivateRedisCluster {
  /** `redis-cluster://127.0.0.1:<port>,…` (every master). */
  url: string;
  masters: PrivateRedis[];
  destroy(): Promise<void>;
}

/**
 * A Redis Cluster of the test's own: `masters` cluster-enabled redis-servers (no replicas), the
 * 16,384 slots spread over them by `redis-cli --cluster create`, ready once every node reports
 * `cluster_state:ok`.
 */
export async function startRedisCluster(label: string, masters = 3): Promise<PrivateRedisCluster> {
  const started: PrivateRedis[] = [];
  const destroy = async () => { await Promise.all(started.map((m) => m.destroy())); };
  try {
    for (let i = 0; i < masters; i++) {
      // The bus port is set, not port + 10000 (which may be taken, or past 65535).
      started.push(await startRedis(`${label}-${i}`, ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port", String(await freePort())]));
    }
    const cli = (args: string[]) => execFileSync("redis-cli", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });
    cli(["--cluster", "create", ...started.map((m) => `127.0.0.1:${m.port}`), "--cluster-replicas", "0", "--cluster-yes"]);
    await eventually(() => started.every((m) => cli(["-h", "127.0.0.1", "-p", String(m.port), "cluster", "info"]).includes("cluster_state:ok")),
      { timeoutMs: 30_000, intervalMs: 100, message: "redis cluster state ok on every node" });
  } catch (err) {
    await destroy();
    throw err;
  }
  return { url: `redis-cluster://${started.map((m) => `127.0.0.1:${m.port}`).join(",")}`, masters: started, destroy };
}

// ---- FerretDB -------------------------------------------------------------------------------

/** The FerretDB binary `scripts/services.sh` built: this checkout's cache, else the main worktree's. */
function ferretdbBinary(): string {
  const candidates = [process.env.FERRETDB_BIN, process.env.SERVICES_CACHE_DIR && resolve(ROOT, process.env.SERVICES_CACHE_DIR, "bin/ferretdb"), join(ROOT, ".cache/bin/ferretdb")];
  try {
    // A git worktree shares the main checkout's .cache.
    const common = execFileSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    candidates.push(join(dirname(common), ".cache/bin/ferretdb"));
  } catch {
    // not a git checkout
  }
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error(`the fault suite needs the FerretDB binary that 'bash scripts/services.sh up' builds (looked in: ${candidates.filter(Boolean).join(", ")}); or set FERRETDB_BIN`);
  return found;
}

/** PostgreSQL of `scripts/services.sh` (role `ferretdb`, trust on loopback). */
const PG = { host: "127.0.0.1", port: Number(process.env.SERVICES_PG_PORT ?? 15432), user: "ferretdb" };

function psql(sql: string): void {
  execFileSync("psql", ["-h", PG.host, "-p", String(PG.port), "-U", PG.user, "-d", "postgres", "-qtAc", sql], { stdio: ["ignore", "ignore", "pipe"], timeout: 120_000 });
}

export interface PrivateFerret {
  /** A MongoDB URI without a database (the app and the test name theirs). */
  uri: string;
  /** Stops FerretDB: to the app, "the database stopped". */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and drops its PostgreSQL database. */
  destroy(): Promise<void>;
}

/** A FerretDB process of the test's own, on a PostgreSQL database of its own in the shared cluster. */
export async function startFerret(label: string): Promise<PrivateFerret> {
  const binary = ferretdbBinary();
  const [port, debugPort] = [await freePort(), await freePort()];
  const pgDb = `sll_fault_${label.replace(/[^a-z0-9]+/gi, "_").toLowerCase().slice(0, 20)}_${randomBytes(4).toString("hex")}`;
  psql(`create database ${pgDb}`);
  const state = tempDir(`ferret-${label}`);
  const uri = `mongodb://127.0.0.1:${port}/`;
  let child: ChildProcess | undefined;
  const ping = async () => {
    const { MongoClient } = await import("mongodb");
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
    try {
      await client.db("admin").command({ ping: 1 });
      return true;
    } finally {
      await client.close().catch(() => undefined);
    }
  };
  const start = async () => {
    child = spawn(binary, ["--handler=postgresql", `--postgresql-url=postgres://${PG.user}@${PG.host}:${PG.port}/${pgDb}`, `--state-dir=${state.path}`,
      `--listen-addr=127.0.0.1:${port}`, `--debug-addr=127.0.0.1:${debugPort}`, "--telemetry=disable", "--log-level=error"], { stdio: "ignore" });
    await eventually(ping, { timeoutMs: 30_000, intervalMs: 100, message: `private FerretDB on ${port}` });
  };
  await start();
  return {
    uri,
    start,
    stop: () => stopChild(child, "SIGTERM"),
    async destroy() {
      await stopChild(child, "SIGKILL");
      state.cleanup();
      try {
        psql(`drop database if exists ${pgDb} with (force)`);
      } catch (err) {
        // Only garbage is left behind (a database named sll_fault_*): say so, do not fail the test.
        console.warn(`could not drop the PostgreSQL database ${pgDb}: ${(err as Error).message}`);
      }
    },
  };
}

// ---- the app --------------------------------------------------------------------------------

/** One pino line of an app process. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

export interface AppProcessOptions {
  role: "web" | "worker" | "all";
  /** Environment of the process (MONGODB_URI, MONGODB_DB, REDIS_URL, QUEUE_PREFIX, TELEGRAM_*, …). */
  env: Record<string, string>;
  /** HTTP port (web and all): fixed, so a restarted process answers at the same address. */
  port?: number;
}

export interface AppProcess {
  readonly role: AppProcessOptions["role"];
  /** `http://127.0.0.1:<port>` (web and all). */
  readonly url: string;
  readonly pid: number | undefined;
  /** Every log line of every run of this process, oldest first. */
  logs(): LogLine[];
  /** Waits for a log line (of the current run, or any run with `sinceStart: false`). */
  waitForLog(pred: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Starts (again) and waits until the app logged that it started. */
  start(): Promise<void>;
  /** SIGKILL: no graceful anything. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the graceful exit. */
  stop(): Promise<void>;
}

/** An app process (not yet started: call `start`). */
export async function appProcess(o: AppProcessOptions): Promise<AppProcess> {
  const port = o.port ?? (await freePort());
  const lines: LogLine[] = [];
  let runStart = 0;
  let child: ChildProcess | undefined;
  let stderr = "";
  const waitForLog = (pred: (line: LogLine) => boolean, timeoutMs = 30_000) =>
    eventually(() => {
      if (child && (child.exitCode !== null || child.signalCode !== null) && !lines.slice(runStart).some(pred))
        throw new Error(`the ${o.role} process exited (${child.exitCode ?? child.signalCode}): ${stderr.slice(-2_000)}`);
      const found = lines.slice(runStart).find(pred);
      if (!found) throw new Error(`no such log line among ${lines.length - runStart}`);
      return found;
    }, { timeoutMs, intervalMs: 50, message: `${o.role} process log` });
  const self: AppProcess = {
    role: o.role,
    url: `http://127.0.0.1:${port}`,
    get pid() { return child?.pid; },
    logs: () => lines,
    waitForLog,
    async start() {
      runStart = lines.length;
      stderr = "";
      child = spawn(process.execPath, ["--import", "tsx", "src/app/main.ts"], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "test", TZ: "Asia/Ho_Chi_Minh",
          ROLE: o.role, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info", DEMO_SEED: "false", PLAYGROUND: "false",
          ...o.env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let partial = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        const text = partial + chunk.toString();
        const parts = text.split("\n");
        partial = parts.pop()!;
        for (const p of parts) {
          try {
            lines.push(JSON.parse(p) as LogLine);
          } catch {
            lines.push({ level: 30, msg: p });
          }
        }
      });
      child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      // Generous: loading the app under tsx and creating a fresh database's collections on a
      // loaded 2-core machine can take a minute.
      await waitForLog((l) => l.msg === "so-lien-lac started", 150_000);
    },
    kill: () => stopChild(child, "SIGKILL"),
    stop: () => stopChild(child, "SIGTERM", 30_000),
  };
  return self;
}

/** Kills every process still running (afterAll's safety net). */
export async function killAll(processes: { kill(): Promise<void> }[]): Promise<void> {
  await Promise.all(processes.map((p) => p.kill().catch(() => undefined)));
}

// ---- a private stack ------------------------------------------------------------------------

export interface PrivateStack {
  redis: PrivateRedis;
  ferret: PrivateFerret;
  /** The app's database name and queue prefix. */
  db: string;
  prefix: string;
  /** Environment for an app process on this stack (plus `extra`). */
  env(extra?: Record<string, string>): Record<string, string>;
  destroy(): Promise<void>;
}

/** A private Redis and FerretDB, started side by side. */
export async function startStack(label: string): Promise<PrivateStack> {
  const [redis, ferret] = await Promise.all([startRedis(label), startFerret(label)]);
  const db = `fault-${label}`;
  const prefix = `sll-${label}`;
  return {
    redis, ferret, db, prefix,
    env: (extra = {}) => ({ MONGODB_URI: ferret.uri, MONGODB_DB: db, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, ...extra }),
    async destroy() {
      await Promise.all([redis.destroy(), ferret.destroy()]);
    },
  };
}
