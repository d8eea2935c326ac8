// Vitest global setup: make sure MONGODB_URI and REDIS_URL point at running services.
//
// `npm test` (scripts/test.sh) has already provisioned them and exported both variables, so
// this is a no-op there. A bare `npx vitest` provisions them here with scripts/services.sh.
// Vitest builds the forked workers' environment from this process's `process.env` after the
// global setup has run, so setting process.env here is enough for every test file.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export function setup(): void {
  if (process.env.MONGODB_URI && process.env.REDIS_URL) return;

  // No pipes: the servers it starts must not keep a pipe of ours open. Its messages go to stderr.
  execFileSync("bash", [resolve(root, "scripts/services.sh"), "up"], { cwd: root, stdio: "inherit" });

  const cacheDir = resolve(root, process.env.SERVICES_CACHE_DIR ?? ".cache");
  for (const line of readFileSync(resolve(cacheDir, "services.env"), "utf8").split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) process.env[line.slice(0, eq)] = line.slice(eq + 1);
  }
}

// Services stay up between runs: the next run reuses them (`bash scripts/services.sh down` stops them).
export function teardown(): void {}
