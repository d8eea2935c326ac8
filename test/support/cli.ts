/**
 * The admin-CLI tests' set-up: the file's own database (`useDatabase`) and `cli(...argv)`,
 * which runs the CLI in-process as `npm run cli -- …` would and gives back its exit code and
 * what it printed. `cliOn` is the same `cli` for a test whose database comes from its own harness.
 *
 * @example
 * const { db, cli } = useCli(testConfig("staff-cli"));
 * it("…", async () => { expect((await cli("school", "create", …)).code).toBe(0); });
 */
import { runCli } from "../../src/app/cli.js";
import type { Config } from "../../src/app/config.js";
import type { Database } from "../../src/store/mongo.js";
import { useDatabase } from "./database.js";

export interface CliResult {
  code: number;
  /** The printed lines, joined. */
  out: string;
  /** The printed lines read as one JSON object. */
  json(): Record<string, unknown>;
}

export interface CliTest {
  /** Filled in by the `beforeAll` (`useDatabase`): read it inside tests and hooks. */
  db: Database;
  cli(...argv: string[]): Promise<CliResult>;
}

/** `cli(...argv)` on a database the test opens itself (`db` is read at each call). */
export function cliOn(config: Config, db: () => Database): CliTest["cli"] {
  return async (...argv) => {
    const lines: string[] = [];
    const code = await runCli(argv, config, db(), (l) => lines.push(l));
    const out = lines.join("\n");
    return { code, out, json: () => JSON.parse(out) as Record<string, unknown> };
  };
}

export function useCli(config: Config): CliTest {
  const db = useDatabase(config);
  return { db, cli: cliOn(config, () => db) };
}
