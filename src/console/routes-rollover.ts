/**
 * The year rollover in the console (principals and school admins): GET /admin/rollover shows
 * the preview (the calendar fields in the query edit the proposal), POST /admin/rollover/apply
 * applies what was previewed (refused when the records changed since), POST
 * /admin/rollover/naming stores the school's naming rule and final grade. The rules live in
 * src/features/school/rollover.ts; these handlers only translate HTTP.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CalendarInputError } from "../domain/concern-calendar.js";
import { isNamingRule } from "../domain/year-rollover.js";
import type { Outbox } from "../engine/ports.js";
import { canManageSchool } from "../features/console/records.js";
import type { ConsoleSession } from "../features/console/sign-in.js";
import { calendarFlags } from "../features/school/rollover-command.js";
import { applyRollover, previewRollover, type CalendarChoice, type RolloverDeps } from "../features/school/rollover.js";
import type { SchoolSettingsRepo } from "../store/school-settings.js";
import type { Config } from "../app/config.js";
import type { Clock } from "../engine/ports.js";
import type { Models } from "../store/models.js";
import type { MeetingModels } from "../store/meeting-models.js";
import { schoolTimeZone } from "../store/school-zone.js";
import type { ConsoleKit } from "./kit.js";
import { messagePage } from "./views.js";
import { rolloverAlreadyPage, rolloverDonePage, rolloverPreviewPage } from "./views-rollover.js";

/** What the rollover needs beyond the console's own deps (absent: the pages are not served). */
export interface RolloverWiring {
  outbox: Pick<Outbox, "enqueue">;
  settings: SchoolSettingsRepo;
}

const ERRORS = {
  "no-school": "Không tìm thấy trường.",
  "no-year": "Trường chưa có năm học nào đang mở để chuyển.",
  "bad-year": "Tên năm học mới không hợp lệ (ví dụ 2027-2028).",
} as const;

/** The calendar fields of a query or form, parsed (a bad field throws CalendarInputError). */
function calendarOf(fields: Record<string, unknown>): { toYearName?: string; calendar: Partial<CalendarChoice> } {
  const str = (k: string) => (typeof fields[k] === "string" && (fields[k] as string).trim() !== "" ? (fields[k] as string).trim() : undefined);
  const holidays = typeof fields.holidays === "string" ? fields.holidays.split(/[\r\n]+/).map((l) => l.trim()).filter(Boolean) : undefined;
  const calendar = calendarFlags({ days: str("days"), quiet: str("quiet"), ladder: str("ladder"), start: str("start"), end: str("end"), ...(holidays ? { holiday: holidays.length ? holidays : ["none"] } : {}) });
  return { ...(str("to") ? { toYearName: str("to") } : {}), calendar };
}

/** The part of the console's deps the rollover reads. */
export interface RolloverRouteDeps {
  config: Pick<Config, "timeZone">;
  models: Models;
  clock: Clock;
  reports: { meetings: Pick<MeetingModels, "MeetingSettings"> };
  rollover?: RolloverWiring;
}

export async function registerRollover(scope: FastifyInstance, d: RolloverRouteDeps, kit: ConsoleKit): Promise<void> {
  if (!d.rollover) return;
  const deps: RolloverDeps = { models: d.models, clock: d.clock, meetings: d.reports.meetings, timeZone: d.config.timeZone, ...d.rollover };
  const manager = async (req: FastifyRequest, reply: FastifyReply) => {
    const s = await kit.signedIn(req, reply);
    if (s && !canManageSchool(s)) return void kit.forbidden(reply);
    return s;
  };

  /** The preview page for these fields (a field that does not read shows the proposal with the error). */
  const preview = async (reply: FastifyReply, s: ConsoleSession, fields: Record<string, unknown>, status = 200, error?: string) => {
    let input: ReturnType<typeof calendarOf> = { calendar: {} };
    try {
      input = calendarOf(fields);
    } catch (err) {
      if (!(err instanceof CalendarInputError)) throw err;
      error = err.message;
    }
    const plan = await previewRollover(deps, s.schoolId, input);
    if ("error" in plan) {
      if (plan.error === "already") return kit.html(reply, 200, rolloverAlreadyPage(await kit.nav(s), plan.toYearName, plan.at, await schoolTimeZone(d.models, s.schoolId, d.config.timeZone)));
      return kit.html(reply, 400, messagePage("Chuyển năm học", ERRORS[plan.error]));
    }
    return kit.html(reply, error ? Math.max(status, 400) : status, rolloverPreviewPage(await kit.nav(s), plan, error));
  };

  scope.get("/admin/rollover", async (req, reply) => {
    const s = await manager(req, reply);
    if (!s) return reply;
    return preview(reply, s, req.query as Record<string, unknown>);
  });

  scope.post("/admin/rollover/apply", async (req, reply) => {
    const s = await manager(req, reply);
    if (!s) return reply;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!kit.csrfOk(s, body._csrf)) return kit.forbidden(reply);
    let input;
    try {
      input = calendarOf(body);
    } catch (err) {
      if (err instanceof CalendarInputError) return preview(reply, s, body, 400, err.message);
      throw err;
    }
    const r = await applyRollover(deps, s.schoolId, { ...input, actor: `console:${s.role}:${s.identityId || s.id.slice(0, 12)}`, fingerprint: String(body.fingerprint ?? "") });
    if ("error" in r) return r.error === "already" ? kit.html(reply, 200, rolloverAlreadyPage(await kit.nav(s), r.toYearName, r.at, await schoolTimeZone(d.models, s.schoolId, d.config.timeZone))) : kit.html(reply, 400, messagePage("Chuyển năm học", ERRORS[r.error]));
    switch (r.status) {
      case "applied": return kit.html(reply, 200, rolloverDonePage(await kit.nav(s), r.plan, r.messages));
      case "already": return kit.html(reply, 200, rolloverAlreadyPage(await kit.nav(s), r.toYearName, r.at, await schoolTimeZone(d.models, s.schoolId, d.config.timeZone)));
      case "changed": return preview(reply, s, body, 409, "Danh sách học sinh hoặc lớp đã thay đổi sau khi xem trước: vui lòng xem lại bản xem trước mới rồi áp dụng.");
      case "conflict": return preview(reply, s, body, 409, "Hai lớp sẽ cùng tên: vui lòng đổi quy tắc đặt tên lớp.");
      case "too-early": return preview(reply, s, body, 409, "Năm học mới còn hơn 120 ngày nữa mới bắt đầu: vui lòng chuyển năm học gần ngày khai giảng hơn.");
    }
  });

  scope.post("/admin/rollover/naming", async (req, reply) => {
    const s = await manager(req, reply);
    if (!s) return reply;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!kit.csrfOk(s, body._csrf)) return kit.forbidden(reply);
    const naming = String(body.naming ?? "").trim(), finalGrade = Number(body.finalGrade ?? 0);
    if (!isNamingRule(naming) || ![0, 5, 9, 12].includes(finalGrade)) return preview(reply, s, {}, 400, "Quy tắc đặt tên cần có {grade}, ví dụ {grade}{suffix}.");
    await d.rollover!.settings.set(s.schoolId, { classNaming: naming, finalGrade });
    return reply.redirect("/admin/rollover", 303);
  });
}
