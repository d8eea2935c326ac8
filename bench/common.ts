/** Shared helpers of the benchmarks: services like the tests provision them, quantiles, formats. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const env = process.env;
export const num = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);

export interface Services { mongo: string; redis: string }

/** `scripts/services.sh up` unless MONGODB_URI and REDIS_URL are set (as `npm test` does). */
export function provision(): Services {
  if (!env.MONGODB_URI || !env.REDIS_URL) {
    execFileSync("bash", [resolve(root, "scripts/services.sh"), "up"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
    for (const line of readFileSync(resolve(root, env.SERVICES_CACHE_DIR ?? ".cache", "services.env"), "utf8").split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0 && !env[line.slice(0, eq)]) env[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return { mongo: env.MONGODB_URI!, redis: env.REDIS_URL! };
}

export const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const millis = (ms: number) => (Number.isFinite(ms) ? `${ms.toFixed(0)} ms` : "—");
export const progress = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, USER_HZ = 100
}

/** Resident memory of a process in MiB, from /proc (Linux). */
export function rssMiBOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
  return Number(line?.replace(/\D+/g, "") ?? 0) / 1024;
}
