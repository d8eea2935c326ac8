/**
 * The console's routes for staff, boards and invite codes (issue 13), registered inside the
 * console's scope by routes.ts (which owns sign-in, cookies and CSRF; `ConsoleKit` lends its
 * helpers). Handlers translate HTTP to the use cases of src/features/staff and
 * src/features/boards and render views-staff.ts: principals and the school office (văn thư)
 * manage staff, homeroom assignments and codes; the class's homeroom teacher (or the office)
 * records the class board; the principal records the school board.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ConsoleSession } from "../features/console/sign-in.js";
import { canManageSchool, classRoster, mayOpenClass, schoolNameOf } from "../features/console/records.js";
import { renderSlipsPdf } from "../features/console/slips.js";
import type { StaffDeps } from "../features/staff/deps.js";
import { assignHomeroom, currentHomeroom } from "../features/staff/homeroom.js";
import { addStaffMember, listStaff, staffRoleCode } from "../features/staff/staff.js";
import { reissueStudentCode, revokeStudentCodes, studentCodes } from "../features/staff/codes.js";
import { classBoardCandidates, currentBoard, currentYearOf, recordClassBoard, recordSchoolBoard, schoolBoardCandidates, type BoardResult, type BoardSeat } from "../features/boards/boards.js";
import { classBoardEntity, schoolBoardEntity } from "../store/versioned-facts.js";
import type { BoardPosition } from "../domain/roles.js";
import { BOARD_PROBLEM, classBoardPage, classCodesCard, classLinks, codeIssuedPage, homeroomDonePage, homeroomPage, schoolBoardPage, staffCodePage, staffPage } from "./views-staff.js";
import { messagePage } from "./views.js";

/** What routes.ts lends: its session, CSRF and page helpers. */
export interface ConsoleKit {
  signedIn(req: FastifyRequest, reply: FastifyReply): Promise<ConsoleSession | undefined>;
  csrfOk(s: ConsoleSession, given: unknown): boolean;
  html(reply: FastifyReply, status: number, page: string): FastifyReply;
  nav(s: ConsoleSession): Promise<{ schoolName: string; csrf: string; canManage: boolean }>;
  forbidden(reply: FastifyReply): FastifyReply;
  /** How the Telegram deep link of a code reads (the code itself without a bot username). */
  link(code: string): string;
}

const body = (req: FastifyRequest) => (req.body ?? {}) as Record<string, unknown>;
const params = (req: FastifyRequest) => req.params as Record<string, string>;
const actor = (s: ConsoleSession) => s.identityId || `console:${s.id.slice(0, 12)}`;
const seenOf = (b: Record<string, unknown>) => (/^\d{1,6}$/.test(String(b.seen ?? "")) ? Number(b.seen) : -1);

/** The board seats a form posted: `who_<i>` = "<identity>|<student>", `pos_<i>` = a position or "". */
function seatsOf(b: Record<string, unknown>): BoardSeat[] {
  const seats: BoardSeat[] = [];
  for (let i = 0; i < 200 && `who_${i}` in b; i++) {
    const [identityId = "", studentId = ""] = String(b[`who_${i}`]).split("|");
    const position = String(b[`pos_${i}`] ?? "");
    if (["head", "deputy", "member"].includes(position) && identityId && studentId) seats.push({ identityId, studentId, position: position as BoardPosition });
  }
  return seats;
}

const boardMessage = (r: BoardResult) =>
  r.status === "recorded" ? { done: `Đã ghi nhận Ban đại diện; đã báo cho ${r.told} phụ huynh trên Sổ liên lạc.` }
  : r.status === "invalid" ? { error: BOARD_PROBLEM[r.problem] }
  : r.status === "changed-meanwhile" ? { error: "Danh sách vừa được người khác cập nhật: vui lòng xem lại rồi ghi nhận." }
  : { error: "Không tìm thấy năm học hiện tại của lớp." };

export async function registerStaffRoutes(scope: FastifyInstance, d: StaffDeps, k: ConsoleKit): Promise<void> {
  /** Runs `then` for a signed-in session that passes `allowed` and (for posts) the CSRF check. */
  const guard = (allowed: (s: ConsoleSession, req: FastifyRequest) => boolean, then: (s: ConsoleSession, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const s = await k.signedIn(req, reply);
      if (!s) return reply;
      if (!allowed(s, req)) return k.forbidden(reply);
      if (req.method === "POST" && !k.csrfOk(s, body(req)._csrf)) return k.forbidden(reply);
      return then(s, req, reply);
    };
  const manage = (s: ConsoleSession) => canManageSchool(s);
  const ofClass = (s: ConsoleSession, req: FastifyRequest) => mayOpenClass(s, params(req).id ?? "");
  const showStaff = async (s: ConsoleSession, reply: FastifyReply, status: number, msg: { error?: string; done?: string } = {}) =>
    k.html(reply, status, staffPage(await k.nav(s), await listStaff(d, s.schoolId), msg));

  scope.get("/admin/staff", guard(manage, (s, _req, reply) => showStaff(s, reply, 200)));
  scope.post("/admin/staff", guard(manage, async (s, req, reply) => {
    const r = await addStaffMember(d, { schoolId: s.schoolId, fullName: String(body(req).fullName ?? ""), title: String(body(req).title ?? "") });
    return "error" in r ? showStaff(s, reply, 400, { error: "Họ và tên từ 2 đến 80 ký tự." }) : showStaff(s, reply, 200, { done: "Đã thêm." });
  }));
  scope.post("/admin/staff/:sid/code", guard(manage, async (s, req, reply) => {
    const role = String(body(req).role ?? "");
    const r = await staffRoleCode(d, { schoolId: s.schoolId, staffId: params(req).sid!, role });
    if (!r) return k.forbidden(reply);
    const who = (await listStaff(d, s.schoolId)).find((x) => x.id === params(req).sid);
    return k.html(reply, 200, staffCodePage(await k.nav(s), `${who?.title ?? ""} ${who?.fullName ?? ""}`, role, r.code, r.expiresAt));
  }));

  const homeroomForm = async (s: ConsoleSession, req: FastifyRequest, reply: FastifyReply, status: number, error?: string) => {
    const c = await classRoster(d.models, s, params(req).id!);
    if (!c) return k.forbidden(reply);
    return k.html(reply, status, homeroomPage(await k.nav(s), c, await listStaff(d, s.schoolId), (await currentHomeroom(d, c.id)).version, error));
  };
  scope.get("/admin/classes/:id/homeroom", guard(manage, (s, req, reply) => homeroomForm(s, req, reply, 200)));
  scope.post("/admin/classes/:id/homeroom", guard(manage, async (s, req, reply) => {
    const staffId = String(body(req).staffId ?? "");
    const r = await assignHomeroom(d, { schoolId: s.schoolId, classGroupId: params(req).id!, staffId, by: actor(s), seen: seenOf(body(req)) });
    if (r.status === "not-found") return k.forbidden(reply);
    if (r.status === "changed-meanwhile") return homeroomForm(s, req, reply, 409, "GVCN của lớp vừa được người khác thay đổi: vui lòng xem lại rồi phân công.");
    if (r.status === "unchanged") return homeroomForm(s, req, reply, 200, "Thầy/Cô này đang là GVCN của lớp.");
    const c = (await classRoster(d.models, s, params(req).id!))!;
    const who = (await listStaff(d, s.schoolId)).find((x) => x.id === staffId);
    return k.html(reply, 200, homeroomDonePage(await k.nav(s), c, `${who?.title ?? ""} ${who?.fullName ?? ""}`.trim(), r));
  }));

  const classBoard = async (s: ConsoleSession, req: FastifyRequest, reply: FastifyReply, status: number, msg: { error?: string; done?: string } = {}) => {
    const c = await classRoster(d.models, s, params(req).id!);
    if (!c) return k.forbidden(reply);
    const board = await currentBoard(d, classBoardEntity(c.id));
    return k.html(reply, status, classBoardPage(await k.nav(s), c, await classBoardCandidates(d, c.id), { version: board.version, members: new Set(board.seats.map((x) => `${x.identityId}|${x.studentId}`)) }, msg));
  };
  scope.get("/admin/classes/:id/board", guard(ofClass, (s, req, reply) => classBoard(s, req, reply, 200)));
  scope.post("/admin/classes/:id/board", guard(ofClass, async (s, req, reply) => {
    const r = await recordClassBoard(d, { schoolId: s.schoolId, classGroupId: params(req).id!, seats: seatsOf(body(req)), by: actor(s), seen: seenOf(body(req)) });
    return classBoard(s, req, reply, r.status === "recorded" ? 200 : r.status === "changed-meanwhile" ? 409 : 400, boardMessage(r));
  }));

  const schoolBoard = async (s: ConsoleSession, reply: FastifyReply, status: number, msg: { error?: string; done?: string } = {}) => {
    const year = await currentYearOf(d, s.schoolId);
    const board = year ? await currentBoard(d, schoolBoardEntity(s.schoolId, year._id)) : { version: 0, seats: [] };
    return k.html(reply, status, schoolBoardPage(await k.nav(s), await schoolBoardCandidates(d, s.schoolId), { version: board.version, members: new Set(board.seats.map((x) => `${x.identityId}|${x.studentId}`)) }, s.role === "principal", msg));
  };
  scope.get("/admin/board", guard(manage, (s, _req, reply) => schoolBoard(s, reply, 200)));
  scope.post("/admin/board", guard((s) => s.role === "principal", async (s, req, reply) => {
    const r = await recordSchoolBoard(d, { schoolId: s.schoolId, seats: seatsOf(body(req)), by: actor(s), seen: seenOf(body(req)) });
    return schoolBoard(s, reply, r.status === "recorded" ? 200 : r.status === "changed-meanwhile" ? 409 : 400, boardMessage(r));
  }));

  /** The pupil of the class the session may open, or undefined. */
  const pupilOf = async (s: ConsoleSession, req: FastifyRequest) => (await classRoster(d.models, s, params(req).id!))?.pupils.find((p) => p.id === params(req).sid && !p.left);
  scope.post("/admin/classes/:id/students/:sid/reissue", guard(ofClass, async (s, req, reply) => {
    const p = await pupilOf(s, req);
    if (!p) return k.forbidden(reply);
    const r = await reissueStudentCode(d, { schoolId: s.schoolId, studentId: p.id, by: actor(s), seen: seenOf(body(req)) });
    if (r.status === "not-found") return k.forbidden(reply);
    return k.html(reply, 200, codeIssuedPage(await k.nav(s), params(req).id!, p, r));
  }));
  scope.post("/admin/classes/:id/students/:sid/revoke", guard(ofClass, async (s, req, reply) => {
    const p = await pupilOf(s, req);
    if (!p) return k.forbidden(reply);
    const revoked = await revokeStudentCodes(d, { schoolId: s.schoolId, studentId: p.id, by: actor(s) });
    return k.html(reply, 200, codeIssuedPage(await k.nav(s), params(req).id!, p, { status: "revoked", revoked }));
  }));
  scope.get("/admin/classes/:id/students/:sid/slip.pdf", guard(ofClass, async (s, req, reply) => {
    const p = await pupilOf(s, req);
    const code = p ? (await studentCodes(d, [p.id])).get(p.id)?.code : undefined;
    const doc = code ? await d.models.InviteCode.findById(code).lean() : undefined;
    if (!p || !doc) return k.html(reply, 404, messagePage("Không có mã", "Học sinh này chưa có mã liên kết dùng được: vui lòng cấp mã mới."));
    const c = (await classRoster(d.models, s, params(req).id!))!;
    const pdf = await renderSlipsPdf({ schoolName: await schoolNameOf(d.models, s.schoolId), slips: [{ studentName: p.name, className: c.name, code: doc._id, link: k.link(doc._id), expiresAt: doc.expiresAt }] });
    return reply.type("application/pdf").header("content-disposition", `inline; filename="phieu-lien-ket.pdf"`).send(pdf);
  }));
}

/** The class page's extra cards (codes with revoke/reissue), for routes.ts's class page. */
export async function classPageExtras(d: StaffDeps, s: ConsoleSession, nav: { csrf: string; schoolName: string; canManage: boolean }, c: { id: string; pupils: { id: string; name: string; left: boolean }[] }): Promise<string> {
  const codes = await studentCodes(d, c.pupils.map((p) => p.id));
  return classLinks(c.id, canManageSchool(s)) + classCodesCard(nav, c.id, c.pupils.map((p) => ({ ...p, ...codes.get(p.id)! })), mayOpenClass(s, c.id));
}
