/**
 * The office console's routes under /admin (a Fastify plugin on the web role). Handlers only
 * translate HTTP to the feature use cases (src/features/console, src/features/roster) and
 * render views: sign-in by a one-time link, the session cookie (httpOnly, SameSite=Strict,
 * Secure behind https), CSRF tokens on every form, same-origin posts, uploads size-limited.
 */
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { timingSafeEqual } from "node:crypto";
import type { Config } from "../app/config.js";
import type { Clock } from "../engine/ports.js";
import type { Models } from "../store/models.js";
import { redeemConsoleLink, sessionOf, signOut, IDLE_TIMEOUT_MS, type ConsoleSession } from "../features/console/sign-in.js";
import { applyRoster, canManageSchool, classOverview, classRoster, previewRoster, schoolNameOf, slipsForUnlinked, yearsOf } from "../features/console/records.js";
import { renderSlipsPdf } from "../features/console/slips.js";
import { classReports, reportCsv, reportXlsx, type ReportDeps } from "../features/console/reports.js";
import { MAX_ROSTER_BYTES, readRosterFile, RosterFileError } from "../features/roster/read-table.js";
import { NotARosterError } from "../features/roster/import-roster.js";
import type { Queues } from "../jobs/runtime.js";
import { registerRollover, type RolloverWiring } from "./routes-rollover.js";
import { registerQueueBoard } from "./routes-queues.js";
import { classPageExtras, registerStaffRoutes } from "./routes-staff.js";
import type { StaffDeps } from "../features/staff/deps.js";
import { classPage, dashboardPage, messagePage, reportsPage, rosterFormPage, rosterReviewPage } from "./views.js";

export interface ConsoleDeps {
  config: Config;
  models: Models;
  clock: Clock;
  /** The features' models the reports read (notices, meetings, polls, concerns). */
  reports: Omit<ReportDeps, "models" | "clock">;
  /** The year rollover's outbox and settings (routes-rollover.ts). */
  rollover?: RolloverWiring;
  /** The app's queues, shown by Bull Board under /admin/queues (routes-queues.ts). */
  queues?: Queues;
  /** Tells people in the bot (a new homeroom teacher, chosen board members); absent: nobody is told. */
  outbox?: StaffDeps["outbox"];
}

const COOKIE = "sll_admin";

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function registerConsole(app: FastifyInstance, d: ConsoleDeps): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(cookie);
    await scope.register(formbody, { bodyLimit: 64_000 });
    await scope.register(multipart, { limits: { fileSize: MAX_ROSTER_BYTES, files: 1, fields: 10, fieldSize: 1_000 } });
    const secure = d.config.publicUrl?.startsWith("https:") ?? false;
    const html = (reply: FastifyReply, status: number, page: string) => reply.code(status).type("text/html; charset=utf-8").send(page);

    // Posts come from our own pages only: same origin, and the session's CSRF token (checked per route).
    scope.addHook("onRequest", async (req, reply) => {
      if (req.method !== "POST") return;
      const origin = req.headers.origin;
      if (origin && new URL(origin).host !== req.headers.host) return html(reply, 403, messagePage("Không được phép", "Yêu cầu đến từ trang khác."));
    });

    const nav = async (s: ConsoleSession) => ({ schoolName: await schoolNameOf(d.models, s.schoolId), csrf: s.csrf, canManage: canManageSchool(s) });
    const signedIn = async (req: FastifyRequest, reply: FastifyReply) => {
      const s = await sessionOf(d.models, req.cookies[COOKIE], d.clock.now());
      if (!s) void html(reply, 401, messagePage("Cần đăng nhập", "Phiên đăng nhập đã hết hoặc chưa có. Thầy/Cô vui lòng gửi /quantri cho bot để nhận đường dẫn đăng nhập mới."));
      return s;
    };
    const csrfOk = (s: ConsoleSession, given: unknown) => typeof given === "string" && same(given, s.csrf);
    const forbidden = (reply: FastifyReply) => html(reply, 403, messagePage("Không được phép", "Tài khoản này không mở được trang này."));

    // The year rollover and the queue dashboard (their own files).
    const kit = { signedIn, html, nav, csrfOk, forbidden, session: (req: FastifyRequest) => sessionOf(d.models, req.cookies[COOKIE], d.clock.now()) };
    await registerRollover(scope, d, kit);
    await registerQueueBoard(scope, d, kit);

    scope.get("/admin/login", async (req, reply) => {
      const t = String((req.query as Record<string, unknown>).t ?? "");
      const r = await redeemConsoleLink(d.models, t, d.clock.now());
      if (r.status !== "ok") return html(reply, 410, messagePage("Đường dẫn không còn dùng được", "Đường dẫn đăng nhập đã hết hạn hoặc đã được dùng. Thầy/Cô vui lòng gửi /quantri cho bot để nhận đường dẫn mới."));
      reply.setCookie(COOKIE, r.cookie, { path: "/admin", httpOnly: true, sameSite: "strict", secure, maxAge: Math.floor(IDLE_TIMEOUT_MS / 1000) * 16 });
      return reply.redirect(r.session.role === "homeroom-teacher" ? `/admin/classes/${r.session.classGroupId}` : "/admin", 303);
    });

    scope.post("/admin/logout", async (req, reply) => {
      const s = await signedIn(req, reply);
      if (!s) return reply;
      if (!csrfOk(s, (req.body as Record<string, unknown>)?._csrf)) return forbidden(reply);
      await signOut(d.models, s);
      reply.clearCookie(COOKIE, { path: "/admin" });
      return html(reply, 200, messagePage("Đã đăng xuất", "Thầy/Cô đã đăng xuất khỏi trang quản trị."));
    });

    scope.get("/admin", async (req, reply) => {
      const s = await signedIn(req, reply);
      if (!s) return reply;
      return html(reply, 200, dashboardPage(await nav(s), await classOverview(d.models, s)));
    });

    scope.get("/admin/roster", async (req, reply) => {
      const s = await signedIn(req, reply);
      if (!s) return reply;
      if (!canManageSchool(s)) return forbidden(reply);
      return html(reply, 200, rosterFormPage(await nav(s), await yearsOf(d.models, s)));
    });

    scope.post("/admin/roster", async (req, reply) => {
      const s = await signedIn(req, reply);
      if (!s) return reply;
      if (!canManageSchool(s)) return forbidden(reply);
      const fields: Record<string, string> = {};
      let file: { name: string; data: Buffer } | undefined;
      const again = async (error: string) => html(reply, 400, rosterFormPage(await nav(s), await yearsOf(d.models, s), error));
      try {
        for await (const part of req.parts()) {
          if (part.type === "file") file = { name: part.filename, data: await part.toBuffer() };
          else fields[part.fieldname] = String(part.value);
        }
      } catch (err) {
        if ((err as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE") return again(`Tệp lớn hơn ${MAX_ROSTER_BYTES / 1024 / 1024} MB: một danh sách học sinh không lớn như vậy.`);
        throw err;
      }
      if (!csrfOk(s, fields._csrf)) return forbidden(reply);
      if (!file) return again("Vui lòng chọn tệp danh sách.");
      try {
        const records = await readRosterFile(file.data, file.name);
        const preview = await previewRoster(d.models, s, { yearId: fields.year ?? "", fileName: file.name, records }, d.clock.now());
        if (!preview) return again("Năm học không hợp lệ.");
        return html(reply, 200, rosterReviewPage(await nav(s), file.name, preview.report, { uploadId: preview.uploadId }));
      } catch (err) {
        if (err instanceof RosterFileError || err instanceof NotARosterError) return again(err.message);
        throw err;
      }
    });

    scope.post("/admin/roster/apply", async (req, reply) => {
      const s = await signedIn(req, reply);
      if (!s) return reply;
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (!csrfOk(s, body._csrf)) return forbidden(reply);
      const done = await applyRoster(d.models, s, String(body.upload ?? ""), body.markLeft === "1", d.clock.now());
      if (!done) return html(reply, 410, messagePage("Không áp dụng được", "Bản xem trước này đã được áp dụng hoặc đã quá một giờ. Vui lòng tải tệp lên lại."));
      return html(reply, 200, rosterReviewPage(await nav(s), done.fileName, done.report));
    });

    // Reports: principals and school admins see every class, a homeroom teacher their own (counts only).
    const reportDeps: ReportDeps = { ...d.reports, models: d.models, clock: d.clock };
    const staffDeps: StaffDeps = { models: d.models, meetings: d.reports.meetings, concerns: d.reports.concerns, clock: d.clock, ttlDays: d.config.inviteCodeTtlDays, ...(d.outbox ? { outbox: d.outbox } : {}) };
    scope.get("/admin/reports", async (req, reply) => {
      const s = await signedIn(req, reply);
      if (!s) return reply;
      return html(reply, 200, reportsPage(await nav(s), await classReports(reportDeps, s)));
    });
    scope.get("/admin/reports.xlsx", async (req, reply) => {
      const s = await signedIn(req, reply);
      if (!s) return reply;
      return reply.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .header("content-disposition", `attachment; filename="bao-cao.xlsx"`).send(await reportXlsx(await classReports(reportDeps, s)));
    });
    scope.get("/admin/reports.csv", async (req, reply) => {
      const s = await signedIn(req, reply);
      if (!s) return reply;
      return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="bao-cao.csv"`).send(reportCsv(await classReports(reportDeps, s)));
    });

    scope.get("/admin/classes/:id", async (req, reply) => {
      const s = await signedIn(req, reply);
      if (!s) return reply;
      const roster = await classRoster(d.models, s, (req.params as { id: string }).id);
      if (!roster) return forbidden(reply);
      return html(reply, 200, classPage(await nav(s), roster, roster.pupils, await classPageExtras(staffDeps, s, await nav(s), roster)));
    });

    // Staff, homeroom assignments, parent boards and per-student codes (issue 13): src/console/routes-staff.ts.
    await registerStaffRoutes(scope, staffDeps, { signedIn, csrfOk, html, nav, forbidden, link: (code) => (d.config.telegram.username ? `https://t.me/${d.config.telegram.username}?start=${code}` : code) });

    scope.get("/admin/classes/:id/slips.pdf", async (req, reply) => {
      const s = await signedIn(req, reply);
      if (!s) return reply;
      const username = d.config.telegram.username;
      const slips = await slipsForUnlinked(d.models, s, (req.params as { id: string }).id, {
        ttlDays: d.config.inviteCodeTtlDays, link: (code) => (username ? `https://t.me/${username}?start=${code}` : code),
      });
      if (!slips) return forbidden(reply);
      const pdf = await renderSlipsPdf({ schoolName: await schoolNameOf(d.models, s.schoolId), slips });
      return reply.type("application/pdf").header("content-disposition", `inline; filename="phieu-lien-ket.pdf"`).send(pdf);
    });
  });
}
