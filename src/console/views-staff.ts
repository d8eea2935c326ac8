/**
 * The console's pages for staff, boards and invite codes (issue 13): the staff list with the
 * codes that link a role, a class's homeroom assignment, the class and school boards, and a
 * class's codes to revoke or reissue. Same rules as views.ts: server-rendered, no scripts,
 * every value escaped, every form with the session's CSRF token.
 */
import { formatInviteCode } from "../domain/invite-code.js";
import type { BoardCandidate, BoardProblem } from "../features/boards/boards.js";
import type { StaffRow } from "../features/staff/staff.js";
import { esc, layout } from "./views.js";

type Nav = Parameters<typeof layout>[2] & object;

const ROLE: Record<string, string> = { "homeroom-teacher": "GVCN", principal: "Hiệu trưởng", "vice-principal": "Phó hiệu trưởng", admin: "Văn thư (quản trị hồ sơ)" };
const POSITION: Record<string, string> = { head: "Trưởng ban", deputy: "Phó trưởng ban", member: "Thành viên" };
const csrf = (nav: Nav) => `<input type="hidden" name="_csrf" value="${esc(nav.csrf)}">`;
const alert = (text?: string) => (text ? `<div class="card error" role="alert">${esc(text)}</div>` : "");
const note = (text?: string) => (text ? `<div class="card ok" role="status">${esc(text)}</div>` : "");

export const BOARD_PROBLEM: Record<BoardProblem, string> = {
  size: "Ban đại diện lớp có từ 3 đến 5 phụ huynh (Thông tư 55/2011).",
  head: "Cần đúng một Trưởng ban.",
  deputy: "Ban đại diện lớp cần đúng một Phó trưởng ban; ban đại diện trường cần ít nhất một Phó trưởng ban.",
  "not-eligible": "Chỉ chọn được phụ huynh của lớp (ban đại diện trường: Trưởng, Phó ban các lớp năm học này).",
  duplicate: "Mỗi phụ huynh chỉ giữ một vị trí.",
};

export function staffPage(nav: Nav, rows: StaffRow[], msg: { error?: string; done?: string } = {}): string {
  const roleOptions = ["principal", "vice-principal", "admin"].map((r) => `<option value="${r}">${esc(ROLE[r])}</option>`).join("");
  const body = rows.map((s) => `<tr><td>${esc(s.title)} ${esc(s.fullName)}</td><td>${s.roles.map((r) => esc(ROLE[r] ?? r)).join(", ") || "—"}</td>
<td>${esc(s.homeroomOf.join(", ") || "—")}</td><td>${s.linked ? "Đã liên kết" : "Chưa liên kết"}</td>
<td><form method="post" action="/admin/staff/${esc(s.id)}/code">${csrf(nav)}<select name="role" aria-label="Vai trò của ${esc(s.fullName)}">${roleOptions}</select> <button>Cấp mã liên kết</button></form></td></tr>`).join("");
  return layout("Cán bộ, giáo viên", `${alert(msg.error)}${note(msg.done)}
<div class="card"><table><thead><tr><th>Họ tên</th><th>Vai trò</th><th>Chủ nhiệm lớp</th><th>Sổ liên lạc</th><th>Mã liên kết vai trò</th></tr></thead><tbody>${body || `<tr><td colspan="5">Chưa có cán bộ nào.</td></tr>`}</tbody></table>
<p class="muted">GVCN được phân công ở trang của từng lớp (Tổng quan → lớp → Phân công GVCN).</p></div>
<div class="card"><h2>Thêm cán bộ, giáo viên</h2><form method="post" action="/admin/staff">${csrf(nav)}
<p><label>Họ và tên <input name="fullName" required maxlength="80"></label>
<label>Xưng hô <select name="title"><option>Thầy/Cô</option><option>Thầy</option><option>Cô</option></select></label></p><button>Thêm</button></form></div>`, nav);
}

export function staffCodePage(nav: Nav, who: string, role: string, code: string, expiresAt: Date): string {
  return layout("Mã liên kết vai trò", `<div class="card"><p>Mã cho ${esc(who)} — ${esc(ROLE[role] ?? role)}:</p><p><b style="font-size:22px">${esc(formatInviteCode(code))}</b></p>
<p class="muted">Dùng một lần, đến ${esc(expiresAt.toISOString().slice(0, 10))}. Thầy/Cô gửi /lienket ${esc(code)} cho bot.</p><p><a class="button" href="/admin/staff">Về danh sách cán bộ</a></p></div>`, nav);
}

export function homeroomPage(nav: Nav, c: { id: string; name: string; teacher: string }, staff: StaffRow[], seen: number, error?: string): string {
  const options = staff.map((s) => `<option value="${esc(s.id)}">${esc(s.title)} ${esc(s.fullName)}${s.homeroomOf.length ? ` (đang chủ nhiệm ${esc(s.homeroomOf.join(", "))})` : ""}</option>`).join("");
  return layout(`Phân công GVCN lớp ${c.name}`, `${alert(error)}<div class="card"><p>GVCN hiện nay: ${esc(c.teacher || "chưa phân công")}</p>
<form method="post" action="/admin/classes/${esc(c.id)}/homeroom">${csrf(nav)}<input type="hidden" name="seen" value="${seen}">
<p><label>GVCN mới <select name="staffId">${options}</select></label></p>
<p class="muted">Khi đổi giữa năm: phản ánh đang mở và cuộc họp sắp tới của lớp chuyển cho GVCN mới (GVCN mới được báo trên Sổ liên lạc); GVCN cũ thôi truy cập lớp ngay.</p>
<button>Phân công</button></form></div>`, nav);
}

export function homeroomDonePage(nav: Nav, c: { id: string; name: string }, who: string, r: { concerns: number; meetings: number; told: boolean; code?: string }): string {
  return layout(`Đã phân công GVCN lớp ${c.name}`, `<div class="card" role="status"><p>${esc(who)} là GVCN lớp ${esc(c.name)} từ hôm nay.</p>
<p>${r.concerns} phản ánh đang mở và ${r.meetings} cuộc họp sắp tới của lớp đã chuyển cho GVCN mới.</p>
${r.told ? "<p>Đã báo cho GVCN mới trên Sổ liên lạc.</p>" : ""}
${r.code ? `<p>GVCN mới chưa liên kết Sổ liên lạc: mã liên kết <b>${esc(formatInviteCode(r.code))}</b> (gửi /lienket ${esc(r.code)} cho bot).</p>` : ""}
<p><a class="button" href="/admin/classes/${esc(c.id)}">Về trang lớp</a></p></div>`, nav);
}

function boardForm(nav: Nav, action: string, candidates: BoardCandidate[], seen: number, current: Set<string>, submit: string, showClass: boolean): string {
  const rows = candidates.map((g, i) => {
    const options = ["", "head", "deputy", "member"].map((p) => `<option value="${p}"${current.has(`${g.identityId}|${g.studentId}`) && g.position === p ? " selected" : ""}>${p ? esc(POSITION[p]) : "—"}</option>`).join("");
    return `<tr><td>Phụ huynh em ${esc(g.studentName)}${showClass ? ` (${esc(g.className)})` : ""}</td><td>${esc(g.displayName || "—")}</td>
<td><input type="hidden" name="who_${i}" value="${esc(`${g.identityId}|${g.studentId}`)}"><select name="pos_${i}" aria-label="Vị trí của phụ huynh em ${esc(g.studentName)}">${options}</select></td></tr>`;
  }).join("");
  return `<form method="post" action="${esc(action)}">${csrf(nav)}<input type="hidden" name="seen" value="${seen}">
<table><thead><tr><th>Phụ huynh</th><th>Tên trên Sổ liên lạc</th><th>Vị trí</th></tr></thead><tbody>${rows || `<tr><td colspan="3">Chưa có phụ huynh nào có thể chọn.</td></tr>`}</tbody></table>
<p><button>${esc(submit)}</button></p></form>`;
}

export function classBoardPage(nav: Nav, c: { id: string; name: string }, candidates: BoardCandidate[], board: { version: number; members: Set<string> }, msg: { error?: string; done?: string } = {}): string {
  return layout(`Ban đại diện CMHS lớp ${c.name}`, `${alert(msg.error)}${note(msg.done)}<div class="card">
<p class="muted">Sau cuộc họp đầu năm, GVCN ghi nhận ban do phụ huynh cả lớp bầu: 3–5 phụ huynh, một Trưởng ban, một Phó trưởng ban. Nhiệm kỳ hết khi hết năm học. Phụ huynh được chọn được báo trên Sổ liên lạc.</p>
${boardForm(nav, `/admin/classes/${c.id}/board`, candidates, board.version, board.members, "Ghi nhận Ban đại diện lớp", false)}</div>`, nav);
}

export function schoolBoardPage(nav: Nav, candidates: BoardCandidate[], board: { version: number; members: Set<string> }, mayRecord: boolean, msg: { error?: string; done?: string } = {}): string {
  const form = mayRecord ? boardForm(nav, "/admin/board", candidates, board.version, board.members, "Ghi nhận Ban đại diện trường", true)
    : `<ul>${candidates.filter((g) => board.members.has(`${g.identityId}|${g.studentId}`)).map((g) => `<li>${esc(POSITION[g.position])}: phụ huynh em ${esc(g.studentName)} (${esc(g.className)})</li>`).join("") || "<li>Chưa ghi nhận.</li>"}</ul>`;
  return layout("Ban đại diện CMHS trường", `${alert(msg.error)}${note(msg.done)}<div class="card">
<p class="muted">Hiệu trưởng ghi nhận ban do Trưởng, Phó ban các lớp bầu: một Trưởng ban, các Phó trưởng ban và thành viên thường trực nếu cần. Nhiệm kỳ hết khi hết năm học.</p>${form}</div>`, nav);
}

/** The class page's codes card: each pupil's usable code, with revoke and reissue. */
export function classCodesCard(nav: Nav, classId: string, pupils: { id: string; name: string; left: boolean; code?: string; version: number }[], mayChange: boolean): string {
  const rows = pupils.filter((p) => !p.left).map((p) => {
    const act = (what: "revoke" | "reissue", label: string) =>
      `<form method="post" action="/admin/classes/${esc(classId)}/students/${esc(p.id)}/${what}" style="display:inline">${csrf(nav)}<input type="hidden" name="seen" value="${p.version}"><button aria-label="${esc(label)} — ${esc(p.name)}">${esc(label)}</button></form>`;
    return `<tr><td>${esc(p.name)}</td><td>${p.code ? esc(formatInviteCode(p.code)) : "—"}</td><td>${mayChange ? `${p.code ? act("revoke", "Thu hồi") : ""} ${act("reissue", "Cấp mã mới")}` : ""}
${p.code ? ` <a href="/admin/classes/${esc(classId)}/students/${esc(p.id)}/slip.pdf">In phiếu</a>` : ""}</td></tr>`;
  }).join("");
  return `<div class="card"><h2>Mã liên kết của từng học sinh</h2><p class="muted">Thu hồi khi phiếu bị mất hoặc đưa nhầm: mã cũ không dùng được nữa; phụ huynh đã liên kết vẫn giữ liên kết.</p>
<table><thead><tr><th>Học sinh</th><th>Mã đang dùng được</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** Links from the class page to its homeroom assignment and board. */
export function classLinks(classId: string, canManage: boolean): string {
  return `<div class="card"><p>${canManage ? `<a class="button" href="/admin/classes/${esc(classId)}/homeroom">Phân công GVCN</a> ` : ""}<a class="button" href="/admin/classes/${esc(classId)}/board">Ban đại diện CMHS lớp</a></p></div>`;
}

export function codeIssuedPage(nav: Nav, classId: string, student: { id: string; name: string }, r: { status: string; code?: string; revoked?: number }): string {
  const text = r.code
    ? `Mã mới của em ${student.name}: ${formatInviteCode(r.code)}${r.status === "already-reissued" ? " (đã được cấp cùng lúc theo một yêu cầu khác)" : ""}. Mã cũ đã bị thu hồi.`
    : `Đã thu hồi ${r.revoked ?? 0} mã của em ${student.name}: mã cũ không dùng được nữa.`;
  const slip = r.code ? `<a class="button" href="/admin/classes/${esc(classId)}/students/${esc(student.id)}/slip.pdf">In phiếu mời với mã mới</a> ` : "";
  return layout("Mã liên kết", `<div class="card" role="status"><p>${esc(text)}</p><p>${slip}<a class="button" href="/admin/classes/${esc(classId)}">Về trang lớp</a></p></div>`, nav);
}
