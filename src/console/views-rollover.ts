/**
 * The year rollover's pages: the preview (every class move, every leaving pupil, what ends,
 * the new year's calendar in an editable form) with its "apply" button, and the outcome.
 */
import { formatHolidays, formatSchoolDays } from "../domain/concern-calendar.js";
import { formatLadder } from "../domain/meeting-reminders.js";
import { hhmm } from "../domain/quiet-hours.js";
import { formatDateTime } from "../domain/time.js";
import type { RolloverPlan } from "../features/school/rollover.js";
import { esc, layout } from "./views.js";

type Nav = Parameters<typeof layout>[2] & object;

const vnDate = (iso: string) => iso.split("-").reverse().join("/");

/** The calendar fields as form values (the same names the preview reads back). */
export function calendarFields(p: RolloverPlan): Record<string, string> {
  const c = p.calendar;
  return {
    to: p.to.name, start: c.startsOn, end: c.endsOn, days: formatSchoolDays(c.schoolDays), holidays: formatHolidays(c.holidays).join("\n"),
    quiet: `${hhmm(c.quiet.start)}-${hhmm(c.quiet.end)}`, ladder: formatLadder(c.ladder),
  };
}

function calendarForm(p: RolloverPlan): string {
  const f = calendarFields(p);
  const input = (name: string, label: string, hint = "") => `<p><label>${label} <input name="${name}" value="${esc(f[name])}"></label> <span class="muted">${hint}</span></p>`;
  return `<form method="get" action="/admin/rollover" id="calendar">
${input("to", "Năm học mới", "ví dụ 2027-2028")}${input("start", "Ngày khai giảng", "YYYY-MM-DD")}${input("end", "Ngày kết thúc năm học", "YYYY-MM-DD")}
${input("days", "Ngày học trong tuần", "mon-fri hoặc mon-sat")}
<p><label>Ngày nghỉ (mỗi dòng một ngày hoặc một khoảng, gồm nghỉ Tết)<br><textarea name="holidays" rows="6" cols="40">${esc(f.holidays)}</textarea></label></p>
${input("quiet", "Giờ yên lặng ban đêm", "không gửi tin nhắn thường trong khoảng này, ví dụ 21:00-06:30")}
${input("ladder", "Nhắc lịch họp", "3d@19:00,1d@19:00,2h: 3 ngày và 1 ngày trước lúc 19:00, 2 giờ trước")}
<button>Cập nhật bản xem trước</button></form>`;
}

export function rolloverPreviewPage(nav: Nav, p: RolloverPlan, error?: string): string {
  const moves = p.moves.map((m) => `<tr><td>${esc(m.fromName)}</td><td>${esc(m.toName)}</td><td>${m.studentIds.length}</td></tr>`).join("");
  const leavers = p.leavers.map((l) => `<tr><td>${esc(l.className)}</td><td>${esc(l.name)}</td></tr>`).join("");
  const warnings = [
    ...(p.tetKnown ? [] : [`Bảng lịch năm học chưa có ngày Tết của năm học ${p.to.name}: vui lòng thêm ngày nghỉ Tết vào ô "Ngày nghỉ".`]),
    ...p.skipped.map((s) => `Lớp ${s.name} không có số khối trong tên nên không được chuyển; vui lòng xếp lớp bằng cách nhập danh sách.`),
    ...p.conflicts.map((n) => `Hai lớp sẽ cùng tên ${n}: vui lòng đổi quy tắc đặt tên lớp trước khi áp dụng.`),
  ];
  const hidden = Object.entries(calendarFields(p)).map(([k, v]) => `<input type="hidden" name="${k}" value="${esc(v)}">`).join("");
  const apply = p.conflicts.length ? "" : `<form method="post" action="/admin/rollover/apply" id="apply"><input type="hidden" name="_csrf" value="${esc(nav.csrf)}">
<input type="hidden" name="fingerprint" value="${esc(p.fingerprint)}">${hidden}<button>Áp dụng chuyển năm học</button></form>`;
  return layout(`Chuyển năm học ${p.from.name} → ${p.to.name}`, `${error ? `<div class="card error" role="alert">${esc(error)}</div>` : ""}
${warnings.map((w) => `<div class="card error" role="alert">${esc(w)}</div>`).join("")}
<div class="card"><p>Khai giảng ${esc(vnDate(p.calendar.startsOn))}. <b>${p.moves.length}</b> lớp lên lớp, <b>${p.leavers.length}</b> học sinh cuối cấp (khối ${p.finalGrade}) rời trường (được đánh dấu, không xóa).
Liên kết của phụ huynh được giữ nguyên. <b>${p.homerooms}</b> phân công GVCN được gỡ để phân công lại; <b>${p.boardSeats}</b> thành viên Ban đại diện CMHS kết thúc nhiệm kỳ.
Mỗi phụ huynh nhận một tin nhắn về lớp mới của con (ngoài giờ yên lặng). Hệ thống chỉ xem trước, chưa ghi gì.</p>${apply}</div>
<div class="card"><h2>Các lớp</h2><table id="moves"><thead><tr><th>Lớp năm ${esc(p.from.name)}</th><th>Lớp năm ${esc(p.to.name)}</th><th>Học sinh</th></tr></thead><tbody>${moves || `<tr><td colspan="3">Không có lớp nào.</td></tr>`}</tbody></table></div>
<div class="card"><h2>Học sinh rời trường</h2><table id="leavers"><thead><tr><th>Lớp</th><th>Học sinh</th></tr></thead><tbody>${leavers || `<tr><td colspan="2">Không có.</td></tr>`}</tbody></table></div>
<div class="card"><h2>Lịch năm học mới</h2>${calendarForm(p)}</div>
<div class="card"><h2>Quy tắc của trường</h2><form method="post" action="/admin/rollover/naming"><input type="hidden" name="_csrf" value="${esc(nav.csrf)}">
<p><label>Tên lớp năm sau <input name="naming" value="${esc(p.naming)}"></label> <span class="muted">{grade}{suffix}: 6A1 → 7A1, 10a2 → 11a2, 6/1 → 7/1; {grade}/{n}: 6A1 → 7/1; {grade}{SUFFIX}: 6a1 → 7A1</span></p>
<p><label>Khối cuối cấp <select name="finalGrade">${[["0", "Theo cấp học"], ["5", "Khối 5"], ["9", "Khối 9"], ["12", "Khối 12"]].map(([v, l]) => `<option value="${v}"${Number(v) === p.finalGrade ? " selected" : ""}>${l}</option>`).join("")}</select></label></p>
<button>Lưu quy tắc</button></form></div>`, nav);
}

export function rolloverDonePage(nav: Nav, p: RolloverPlan, messages: number): string {
  return layout(`Đã chuyển sang năm học ${p.to.name}`, `<div class="card"><p>${p.moves.length} lớp đã lên lớp, ${p.leavers.length} học sinh cuối cấp đã được đánh dấu rời trường.
${messages} tin nhắn gửi phụ huynh đã vào hàng đợi. Vui lòng phân công giáo viên chủ nhiệm cho các lớp mới.</p><p><a class="button" href="/admin">Về trang tổng quan</a></p></div>`, nav);
}

export function rolloverAlreadyPage(nav: Nav, toYearName: string, at: Date, timeZone: string): string {
  const when = formatDateTime(at, "vi", timeZone);
  return layout(`Năm học ${toYearName} đã được chuyển`, `<div class="card"><p>Nhà trường đã chuyển sang năm học ${esc(toYearName)} vào ${esc(when)}. Không có gì thay đổi thêm.</p>
<p><a class="button" href="/admin">Về trang tổng quan</a></p></div>`, nav);
}
