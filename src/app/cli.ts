/**
 * The admin CLI: `npm run cli -- <command> [options]`.
 *
 *   school create --name "Trường THCS Nguyễn Du" --slug thcs-nguyen-du [--authority "UBND phường …"]
 *   year create --school <id> --name 2026-2027 [--start 2026-09-05] [--end 2027-05-31]
 *   class create --school <id> --year <id> --name 6A1 [--grade 6]
 *   staff add --school <id> --name "Nguyễn Thị Lan" [--title Cô]
 *   staff homeroom --school <id> --class <id> --staff <id>   (assign or change a class's homeroom teacher;
 *     a teacher not linked yet gets a homeroom code; nobody is told in the bot from the CLI)
 *   roster import --school <id> --year <id> --file roster.csv [--dry-run]
 *   codes guardians --school <id> [--class <id>] [--format csv|sheet] [--out file]
 *   codes staff --school <id> --staff <id> --role homeroom-teacher|principal|vice-principal [--class <id>]
 *   codes board --school <id> --student <id> --scope class|school --position head|deputy|member
 *   codes revoke --code <code>
 *   year rollover --school <id> [--to 2027-2028] [--apply] [--naming "{grade}{suffix}"] [--final-grade 9]
 *     [--start 2027-09-05] [--end 2028-05-31] [--days mon-fri] [--holiday 2028-01-22..2028-02-01 …]
 *     [--quiet 21:00-06:30] [--ladder "3d@19:00,1d@19:00,2h"]   (without --apply: the preview only)
 *   demo seed [--json]
 *   demo district [--schools 20] [--guardians 11000]   (synthetic schools for load and memory benchmarks)
 *   list schools | list classes --school <id> | list staff --school <id>
 *   meetings settings --school <id> [--ladder "3d@19:00,1d@19:00,2h"] [--quiet 21:00-06:30]
 *     (--quiet sets the school calendar's nightly window, which holds every non-urgent send)
 *   concerns calendar --school <id> [--year 2026-2027] [--days mon-sat] [--hours 07:00-17:00]
 *     [--holiday 2027-02-10..2027-02-16 …|none] [--first-response-hours 8] [--resolution-days 3]
 *     [--escalate-to <staffId of a vice-principal>|principal]   (no changes: shows the calendar)
 *   zalo-oa connect [--redirect <callback URL>]   (prints the link the OA admin opens; default PUBLIC_URL/zalo-oa/oauth/callback)
 *   zalo-oa status   (token expiry, messages per route over 30 days, last webhook seen)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { stringify } from "csv-stringify/sync";
import { loadConfig, type Config } from "./config.js";
import { openDatabase, type Database } from "../store/mongo.js";
import { createSchoolAdmin, AdminError, type CodeRow } from "../features/school/admin.js";
import { importRoster, NotARosterError } from "../features/roster/import-roster.js";
import { readRosterFile, RosterFileError } from "../features/roster/read-table.js";
import { seedDemo } from "../features/school/demo.js";
import { seedDistrict } from "../features/school/district.js";
import { issueConsoleLink } from "../features/console/sign-in.js";
import { formatInviteCode } from "../domain/invite-code.js";
import { STAFF_ROLES, BOARD_POSITIONS, type StaffRole, type BoardPosition } from "../domain/roles.js";
import { formatLadder, parseLadder, parseQuietWindow } from "../domain/meeting-reminders.js";
import { hhmm } from "../domain/quiet-hours.js";
import { registerMeetingModels } from "../store/meeting-models.js";
import { meetingLadderOf, setMeetingLadder } from "../store/meeting-settings.js";
import { schoolQuietHours, setSchoolQuietHours } from "../store/school-calendar.js";
import { registerConcernModels } from "../store/concern-models.js";
import { calendarCommand } from "../features/concerns/calendar-command.js";
import { assignHomeroom } from "../features/staff/homeroom.js";
import { CalendarInputError } from "../domain/concern-calendar.js";
import { rolloverCommand } from "../features/school/rollover-command.js";
import { createSchoolSettings } from "../store/school-settings.js";
import { createDeliveryRepo } from "../store/deliveries.js";
import { connectRedisClient } from "../jobs/redis.js";
import { createQueues } from "../jobs/runtime.js";
import { createOutbox } from "../jobs/outbox.js";
import type { OutboxItem } from "../engine/ports.js";
import { zaloOaParts, startOaConnection, oaStatus } from "./zalo-oa.js";

type Opts = Record<string, string | boolean | undefined>;
type Out = (line: string) => void;

/** A usage error: printed with the usage text, exit code 2. */
class UsageError extends Error {}

function need(opts: Opts, name: string): string {
  const v = opts[name];
  if (typeof v !== "string" || v.trim() === "") throw new UsageError(`--${name} is required`);
  return v.trim();
}

/** The deep link a guardian opens to link (Telegram) — the code works typed by hand too. */
export function deepLink(config: Config, code: string): string {
  return config.telegram.username ? `https://t.me/${config.telegram.username}?start=${code}` : `/start ${code}`;
}

/** Invite codes as CSV: code, kind, student or role, class, deep link, expiry. */
export function codesCsv(config: Config, rows: CodeRow[]): string {
  return stringify([
    ["code", "kind", "student_or_role", "class", "deep_link", "expires"],
    ...rows.map((r) => [formatInviteCode(r.code), r.kind, r.subject, r.className, deepLink(config, r.code), r.expiresAt.toISOString().slice(0, 10)]),
  ]);
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** A printable A4 sheet of slips to cut and hand to families (open in a browser, print). */
export function codesSheet(config: Config, schoolName: string, rows: CodeRow[]): string {
  const slips = rows.map((r) => `<div class="slip"><b>${escapeHtml(schoolName)}</b><br>Kính gửi Quý phụ huynh học sinh <b>${escapeHtml(r.subject)}</b> – lớp ${escapeHtml(r.className)}<br>
Mở Telegram và vào: <span class="link">${escapeHtml(deepLink(config, r.code))}</span><br>hoặc gửi cho bot mã: <span class="code">${formatInviteCode(r.code)}</span><br>
<small>Mã dùng được đến ${r.expiresAt.toISOString().slice(0, 10).split("-").reverse().join("/")}. Không chia sẻ mã này cho người khác.</small></div>`);
  return `<!doctype html><html lang="vi"><meta charset="utf-8"><title>Mã liên kết — ${escapeHtml(schoolName)}</title>
<style>body{font-family:system-ui,sans-serif;margin:12mm}.slip{border:1px dashed #555;padding:8px;margin:0 0 6mm;page-break-inside:avoid;line-height:1.5}
.code{font:bold 18px monospace;letter-spacing:2px}.link{font-family:monospace}</style>${slips.join("\n")}</html>`;
}

/** Runs one CLI command; returns the exit code. Output goes through `out` (stdout in main). */
export async function runCli(argv: string[], config: Config, db: Database, out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      name: { type: "string" }, slug: { type: "string" }, authority: { type: "string" }, school: { type: "string" },
      year: { type: "string" }, start: { type: "string" }, end: { type: "string" }, grade: { type: "string" },
      title: { type: "string" }, file: { type: "string" }, "dry-run": { type: "boolean" }, class: { type: "string" },
      format: { type: "string" }, out: { type: "string" }, staff: { type: "string" }, role: { type: "string" },
      student: { type: "string" }, scope: { type: "string" }, position: { type: "string" }, code: { type: "string" },
      from: { type: "string" }, to: { type: "string" }, "final-grade": { type: "string" }, json: { type: "boolean" },
      ladder: { type: "string" }, quiet: { type: "string" }, apply: { type: "boolean" }, naming: { type: "string" },
      schools: { type: "string" }, guardians: { type: "string" }, redirect: { type: "string" },
      days: { type: "string" }, hours: { type: "string" }, holiday: { type: "string", multiple: true },
      "first-response-hours": { type: "string" }, "resolution-days": { type: "string" }, "escalate-to": { type: "string" },
    },
  });
  const opts = values as Opts;
  const admin = createSchoolAdmin(db.models);
  const ttlDays = config.inviteCodeTtlDays;
  const print = (obj: unknown) => out(JSON.stringify(obj, null, 2));
  const [group, action] = positionals;
  switch (`${group} ${action}`) {
    case "school create":
      return print(await admin.createSchool({ name: need(opts, "name"), slug: need(opts, "slug"), authorityContact: (opts.authority as string) ?? "" })), 0;
    case "year create":
      return print(await admin.createYear({ schoolId: need(opts, "school"), name: need(opts, "name"),
        ...(opts.start ? { startsOn: new Date(opts.start as string) } : {}), ...(opts.end ? { endsOn: new Date(opts.end as string) } : {}) })), 0;
    case "class create":
      return print(await admin.createClass({ schoolId: need(opts, "school"), yearId: need(opts, "year"), name: need(opts, "name"),
        ...(opts.grade ? { grade: Number(opts.grade) } : {}) })), 0;
    case "staff add":
      return print(await admin.addStaff({ schoolId: need(opts, "school"), fullName: need(opts, "name"), title: (opts.title as string) ?? "Thầy/Cô" })), 0;
    case "staff homeroom": {
      const r = await assignHomeroom({ models: db.models, meetings: registerMeetingModels(db.conn), concerns: registerConcernModels(db.conn), clock: { now: () => new Date() }, ttlDays },
        { schoolId: need(opts, "school"), classGroupId: need(opts, "class"), staffId: need(opts, "staff"), by: "cli" });
      if (r.status === "not-found") throw new UsageError("no such class or staff member in this school");
      return print(r), 0;
    }
    case "roster import": {
      const file = need(opts, "file");
      let records: string[][];
      try {
        records = await readRosterFile(readFileSync(file), file);
      } catch (err) {
        if (err instanceof RosterFileError) throw new UsageError(`${file}: ${err.message}`);
        throw err;
      }
      let report;
      try {
        report = await importRoster(db.models, { schoolId: need(opts, "school"), yearId: need(opts, "year"), records, dryRun: Boolean(opts["dry-run"]), markLeft: Boolean(opts["mark-left"]) });
      } catch (err) {
        if (err instanceof NotARosterError) throw new UsageError(`${file}: ${err.message}`);
        throw err;
      }
      for (const r of report.rows) out(`line ${r.line}: ${r.status}${r.error ? ` — ${r.error}` : ""}${r.studentName ? ` (${r.className} ${r.studentName})` : ""}`);
      for (const m of report.missing) out(`not in the file: ${m.className} ${m.studentName}${report.markedLeft ? " — marked as left" : " (--mark-left marks them as left)"}`);
      out(`${opts["dry-run"] ? "dry run: would create" : "created"} ${report.created} student(s), ${report.updated} updated, ${report.errors} error(s)`);
      return report.errors > 0 ? 1 : 0;
    }
    case "codes guardians": {
      const schoolId = need(opts, "school");
      const rows = await admin.guardianCodes({ schoolId, ...(opts.class ? { classGroupId: opts.class as string } : {}), ttlDays });
      const school = await db.models.School.findById(schoolId).lean();
      const text = opts.format === "sheet" ? codesSheet(config, school?.name ?? "", rows) : codesCsv(config, rows);
      if (opts.out) writeFileSync(opts.out as string, text);
      else out(text);
      return 0;
    }
    case "codes staff": {
      const role = need(opts, "role") as StaffRole;
      if (!STAFF_ROLES.includes(role)) throw new UsageError(`--role must be one of ${STAFF_ROLES.join(", ")}`);
      const row = await admin.issueStaffCode({ schoolId: need(opts, "school"), staffId: need(opts, "staff"), role, ...(opts.class ? { classGroupId: opts.class as string } : {}), ttlDays });
      return out(codesCsv(config, [row])), 0;
    }
    case "codes board": {
      const position = need(opts, "position") as BoardPosition;
      const scope = need(opts, "scope");
      if (!BOARD_POSITIONS.includes(position) || !["class", "school"].includes(scope)) throw new UsageError("--scope class|school and --position head|deputy|member");
      const row = await admin.issueBoardCode({ schoolId: need(opts, "school"), studentId: need(opts, "student"), scope: scope as "class" | "school", position, ttlDays });
      return out(codesCsv(config, [row])), 0;
    }
    case "codes revoke":
      return out((await admin.revokeCode(need(opts, "code").replace(/-/g, "").toUpperCase())) ? "revoked" : "no such code"), 0;
    case "year rollover":
      return yearRollover(config, db, opts, (values as { holiday?: string[] }).holiday, out);
    case "admin link": {
      // The first admin of a new school: a one-time console link (10 minutes, single use) for the school office.
      const schoolId = need(opts, "school");
      if (!(await db.models.School.exists({ _id: schoolId }))) throw new UsageError(`no school ${schoolId}`);
      const base = config.publicUrl ?? `http://${config.http.host}:${config.http.port}`;
      const { url, expiresAt } = await issueConsoleLink(db.models, { schoolId, identityId: "", role: "admin", classGroupId: "" }, base, new Date());
      out(url);
      out(`(single use, valid until ${expiresAt.toISOString()})`);
      return 0;
    }
    case "demo district": {
      const account = config.telegram.token?.split(":")[0] ?? "district";
      const seeded = await seedDistrict(db.models, { schools: Number(opts.schools ?? 20), guardians: Number(opts.guardians ?? 11_000), account });
      out(`${seeded.schoolIds.length} schools, ${seeded.classes} classes, ${seeded.guardians} guardians linked on Telegram account ${account}`);
      return 0;
    }
    case "demo seed": {
      const demo = await seedDemo(db.models, { ttlDays });
      const codes = {
        guardians: demo.codes.guardians.map((c) => ({ code: c.code, student: c.subject, class: c.className, deepLink: deepLink(config, c.code) })),
        homeroomTeacher: { code: demo.codes.homeroomTeacher.code, deepLink: deepLink(config, demo.codes.homeroomTeacher.code) },
        principal: { code: demo.codes.principal.code, deepLink: deepLink(config, demo.codes.principal.code) },
        boardHead: { code: demo.codes.boardHead.code, deepLink: deepLink(config, demo.codes.boardHead.code) },
      };
      if (opts.json) print({ schoolId: demo.schoolId, school: demo.schoolName, yearId: demo.yearId, classes: demo.classes, codes });
      else {
        out(`${demo.schoolName} (${demo.schoolId})`);
        for (const c of codes.guardians) out(`  ${c.class} ${c.student}: ${formatInviteCode(c.code)}`);
        out(`  GVCN 6A1: ${formatInviteCode(codes.homeroomTeacher.code)}  Hiệu trưởng: ${formatInviteCode(codes.principal.code)}  Trưởng ban 6A1: ${formatInviteCode(codes.boardHead.code)}`);
      }
      return 0;
    }
    case "list schools":
      return print(await db.models.School.find({}).lean()), 0;
    case "list classes":
      return print(await db.models.ClassGroup.find({ schoolId: need(opts, "school") }).sort({ name: 1 }).lean()), 0;
    case "list staff":
      return print(await db.models.Staff.find({ schoolId: need(opts, "school") }).lean()), 0;
    case "meetings settings": {
      // The school's reminder ladder (meeting_settings) and its nightly quiet hours (the school
      // calendar's window, shared by every send); without --ladder/--quiet, shows them.
      const schoolId = need(opts, "school");
      if (!(await db.models.School.exists({ _id: schoolId }))) throw new UsageError(`no school ${schoolId}`);
      const ladder = opts.ladder === undefined ? undefined : parseLadder(String(opts.ladder));
      if (opts.ladder !== undefined && !ladder) throw new UsageError('--ladder is like "3d@19:00,1d@19:00,2h" (days@time, hours h, minutes m)');
      const quiet = opts.quiet === undefined ? undefined : parseQuietWindow(String(opts.quiet));
      if (opts.quiet !== undefined && !quiet) throw new UsageError("--quiet is like 21:00-06:30");
      const M = registerMeetingModels(db.conn);
      if (ladder) await setMeetingLadder(M, schoolId, ladder);
      if (quiet) await setSchoolQuietHours(db.models, schoolId, quiet);
      const night = await schoolQuietHours(db.models, schoolId);
      return print({ school: schoolId, ladder: formatLadder(await meetingLadderOf(M, schoolId)), quiet: `${hhmm(night.start)}-${hhmm(night.end)}` }), 0;
    }
    case "concerns calendar": {
      // The concern clocks' school calendar per school and year; without changes, shows it.
      const str = (name: string) => (typeof opts[name] === "string" ? (opts[name] as string) : undefined);
      const holiday = (values as { holiday?: string[] }).holiday;
      try {
        return print(await calendarCommand(db.models, registerConcernModels(db.conn), {
          school: need(opts, "school"), year: str("year"), days: str("days"), hours: str("hours"), holiday,
          firstResponseHours: str("first-response-hours"), resolutionDays: str("resolution-days"), escalateTo: str("escalate-to"),
        })), 0;
      } catch (err) {
        if (err instanceof CalendarInputError) throw new UsageError(err.message);
        throw err;
      }
    }
    case "zalo-oa connect":
    case "zalo-oa status": {
      if (!config.zaloOa) throw new UsageError("set ZALO_OA_APP_ID, ZALO_OA_ID, ZALO_OA_APP_SECRET, ZALO_OA_SECRET_KEY and ZALO_OA_TOKEN_KEY first (see .env.example)");
      const parts = zaloOaParts({ config: config.zaloOa, db, prefix: config.redis.queuePrefix, clock: { now: () => new Date() } });
      if (action === "status") return print(await oaStatus(parts, db, new Date())), 0;
      const redirect = typeof opts.redirect === "string" ? opts.redirect : config.publicUrl ? new URL("/zalo-oa/oauth/callback", config.publicUrl).toString() : undefined;
      if (!redirect) throw new UsageError("--redirect <callback URL> or PUBLIC_URL is required (Zalo calls back on an HTTPS domain)");
      const { url } = await startOaConnection(parts, redirect, new Date());
      out("Gửi đường link này cho quản trị viên Zalo OA của trường để cấp quyền (hiệu lực 30 phút) / Send this link to the OA admin to grant access (valid 30 minutes):");
      out(url);
      out(`Callback: ${redirect} — Official Account Callback Url trong developers.zalo.me phải trùng địa chỉ này / must match the app's Official Account Callback Url.`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command: ${positionals.join(" ") || "(none)"}`);
  }
}

/** `year rollover`: the preview, and with --apply the rollover (guardian messages go through the outbox on Redis). */
async function yearRollover(config: Config, db: Database, opts: Opts, holiday: string[] | undefined, out: Out): Promise<number> {
  const closers: (() => Promise<unknown>)[] = [];
  const outbox = {
    async enqueue(items: OutboxItem[]) {
      const redis = await connectRedisClient(config.redis.url, false);
      const queues = createQueues(redis, config.redis.queuePrefix);
      closers.push(() => queues.close(), () => redis.quit());
      await createOutbox(queues.outbox, createDeliveryRepo(db.models, config.defaultLocale)).enqueue(items);
    },
  };
  const str = (name: string) => (typeof opts[name] === "string" ? (opts[name] as string) : undefined);
  try {
    return await rolloverCommand(
      { models: db.models, settings: createSchoolSettings(db.conn), meetings: registerMeetingModels(db.conn), outbox, clock: { now: () => new Date() }, timeZone: config.timeZone },
      { school: need(opts, "school"), to: str("to"), apply: Boolean(opts.apply), naming: str("naming"), finalGrade: str("final-grade"), days: str("days"), holiday,
        quiet: str("quiet"), ladder: str("ladder"), start: str("start"), end: str("end") },
      out);
  } catch (err) {
    if (err instanceof CalendarInputError) throw new UsageError(err.message);
    throw err;
  } finally {
    for (const close of closers) await close();
  }
}

/** Prints the usage text (the header comment of this file). */
function usage(): string {
  return readFileSync(new URL(import.meta.url), "utf8").split("*/")[0]!.replace(/^\/\*\*|^ \* ?/gm, "").trim();
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes("--help")) {
    console.log(usage());
    return;
  }
  const config = loadConfig();
  let db: Database;
  try {
    db = await openDatabase(config.mongo.uri, config.mongo.db);
  } catch (err) {
    console.error(`MongoDB is not reachable (${(err as Error).message}). Run: bash scripts/services.sh up`);
    process.exit(1);
  }
  let code = 1;
  try {
    code = await runCli(argv, config, db, (line) => console.log(line));
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${(err as Error).message}\n\n${usage()}`);
      code = 2;
    } else if (err instanceof AdminError) {
      console.error(err.message);
      code = 1;
    } else if ((err as { code?: number }).code === 11000) {
      console.error("already exists (duplicate name or slug)");
      code = 1;
    } else throw err;
  } finally {
    await db.close();
  }
  process.exit(code);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) void main();
