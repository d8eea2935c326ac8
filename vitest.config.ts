import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Provisions Redis + MongoDB (scripts/services.sh) unless MONGODB_URI and REDIS_URL are set.
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Child processes, not threads: each test file gets its own process and its own connections.
    pool: "forks",
    // The machines have 2 cores; more workers only contend with Redis and FerretDB.
    maxWorkers: 2,
  },
});
