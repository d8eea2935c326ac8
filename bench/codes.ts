/**
 * Codes: `npm run cli -- codes guardians` for a school of N pupils (the slips' export), in a
 * child process like an admin runs it: the first run issues every code, the second lists them
 * again. Wall time includes starting the CLI.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { openDatabase } from "../src/store/mongo.js";
import { uniqueName } from "../test/support/test-config.js";
import { dropDatabase } from "../test/support/app-harness.js";
import { progress, root, type Services } from "./common.js";

const run = promisify(execFile);

export interface CodesResult { students: number; issueMs: number; listMs: number; codes: number }

export async function codes(services: Services, students: number): Promise<CodesResult> {
  const name = uniqueName(`bench-codes-${students}`);
  const db = await openDatabase(services.mongo, name);
  try {
    progress(`codes: seeding ${students} pupils`);
    const m = db.models;
    const school = await m.School.create({ name: "Trường THCS Bench", slug: name });
    const year = await m.SchoolYear.create({ schoolId: school._id, name: "2026-2027" });
    const classes = await m.ClassGroup.insertMany(Array.from({ length: Math.ceil(students / 40) }, (_, i) => ({ schoolId: school._id, yearId: year._id, name: `${6 + (i % 4)}A${Math.floor(i / 4) + 1}`, grade: 6 + (i % 4) })));
    await m.Student.insertMany(Array.from({ length: students }, (_, k) => ({ schoolId: school._id, classGroupId: classes[Math.floor(k / 40)]!._id, fullName: `Học Sinh ${k}`, studentCode: `C${k}` })));
    const cli = async () => {
      const t0 = Date.now();
      const { stdout } = await run(process.execPath, ["--import", "tsx", "src/app/cli.ts", "codes", "guardians", "--school", school._id], {
        cwd: root, maxBuffer: 64 << 20, env: { ...process.env, MONGODB_URI: services.mongo, MONGODB_DB: name, REDIS_URL: services.redis, LOG_LEVEL: "warn", PLAYGROUND: "false" },
      });
      return { ms: Date.now() - t0, lines: stdout.trim().split("\n").length };
    };
    progress(`codes: codes guardians for ${students} pupils (issue, then list again)`);
    const issue = await cli();
    const list = await cli();
    return { students, issueMs: issue.ms, listMs: list.ms, codes: await m.InviteCode.countDocuments({ schoolId: school._id }) };
  } finally {
    await db.close();
    await dropDatabase(services.mongo, name);
  }
}
