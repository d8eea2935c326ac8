/**
 * The office console's pages: plain server-rendered HTML in Vietnamese, no scripts, no
 * external assets; every value escaped. Forms that change something carry the session's CSRF
 * token.
 */
import type { RosterReport, RosterRowStatus } from "../features/roster/import-roster.js";
import type { ClassReport } from "../features/console/reports.js";

export const esc = (s: unknown) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const CSS = `
  :root { font-family: system-ui, "Segoe UI", Roboto, sans-serif; color: #1f2933; }
  body { margin: 0; background: #f4f6f8; }
  header { background: #1f4e79; color: white; padding: 10px 16px; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
  header a { color: white; } header b { margin-right: auto; }
  main { max-width: 1000px; margin: 0 auto; padding: 16px; }
  .card { background: white; border: 1px solid #d9dee3; border-radius: 8px; padding: 14px 16px; margin: 12px 0; }
  table { border-collapse: collapse; width: 100%; font-size: 14px; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e4e7eb; vertical-align: top; }
  .ok { color: #1d7a46; } .updated { color: #2680c2; } .exists { color: #52606d; } .error, .ambiguous { color: #b42318; }
  button, .button { background: #2680c2; color: white; border: 0; border-radius: 6px; padding: 8px 14px; font-size: 14px; cursor: pointer; text-decoration: none; display: inline-block; }
  .link-button { background: none; color: white; padding: 0; text-decoration: underline; }
  .muted { color: #7b8794; font-size: 13px; }
  .bar { background: #e4e7eb; border-radius: 4px; height: 14px; min-width: 120px; } .bar > span { display: block; height: 100%; background: #2680c2; border-radius: 4px; }
  @media (max-width: 640px) { th:nth-child(n+4), td:nth-child(n+4) { display: none; } }
`;

export function layout(title: string, body: string, nav?: { schoolName: string; csrf: string; canManage: boolean }): string {
  const header = nav
    ? `<header><b>${esc(nav.schoolName)}</b><a href="/admin">Tổng quan</a><a href="/admin/reports">Báo cáo</a>${nav.canManage ? `<a href="/admin/roster">Nhập danh sách học sinh</a><a href="/admin/staff">Cán bộ</a><a href="/admin/board">Ban đại diện trường</a><a href="/admin/rollover">Chuyển năm học</a><a href="/admin/queues">Hàng đợi</a>` : ""}
       <form method="post" action="/admin/logout"><input type="hidden" name="_csrf" value="${esc(nav.csrf)}"><button class="link-button">Đăng xuất</button></form></header>`
    : `<header><b>Sổ liên lạc — trang quản trị</b></header>`;
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — Sổ liên lạc</title><style>${CSS}</style></head><body>${header}<main><h1>${esc(title)}</h1>${body}</main></body></html>`;
}

export const messagePage = (title: string, text: string) => layout(title, `<div class="card"><p>${esc(text)}</p></div>`);

export interface ClassRow {
  id: string;
  name: string;
  pupils: number;
  linked: number;
  teacher: string;
}

export function dashboardPage(nav: Parameters<typeof layout>[2] & object, classes: ClassRow[]): string {
  const rows = classes.map((c) => `<tr><td><a href="/admin/classes/${esc(c.id)}">${esc(c.name)}</a></td><td>${c.pupils}</td><td>${c.linked}</td><td>${esc(c.teacher || "—")}</td></tr>`).join("");
  return layout("Tổng quan", `<div class="card"><table><thead><tr><th>Lớp</th><th>Học sinh</th><th>Gia đình đã liên kết</th><th>GVCN</th></tr></thead><tbody>${rows || `<tr><td colspan="4">Chưa có lớp nào: hãy nhập danh sách học sinh.</td></tr>`}</tbody></table></div>`, nav);
}

export function rosterFormPage(nav: Parameters<typeof layout>[2] & object, years: { id: string; name: string }[], error?: string): string {
  const options = years.map((y) => `<option value="${esc(y.id)}">${esc(y.name)}</option>`).join("");
  return layout("Nhập danh sách học sinh", `${error ? `<div class="card error" role="alert">${esc(error)}</div>` : ""}
<div class="card"><form method="post" action="/admin/roster" enctype="multipart/form-data">
<input type="hidden" name="_csrf" value="${esc(nav.csrf)}">
<p><label>Năm học <select name="year">${options}</select></label></p>
<p><label>Tệp Excel (.xlsx) hoặc CSV <input type="file" name="file" accept=".xlsx,.csv" required></label></p>
<p class="muted">Nhận các cột: Lớp, Họ và tên, Ngày sinh, Mã học sinh, Họ tên cha/mẹ, SĐT phụ huynh (có dấu hoặc không dấu; cột khác bỏ qua). Hệ thống chỉ xem trước, chưa ghi gì.</p>
<button>Xem trước</button></form></div>`, nav);
}

const STATUS: Record<RosterRowStatus, string> = { ok: "Thêm mới", updated: "Cập nhật", exists: "Không đổi", error: "Từ chối", ambiguous: "Từ chối (trùng tên)" };

export function rosterReviewPage(nav: Parameters<typeof layout>[2] & object, fileName: string, report: RosterReport, apply?: { uploadId: string }): string {
  const rows = report.rows.map((r) => `<tr class="${r.status}"><td>${r.line}</td><td>${esc(r.className)}</td><td>${esc(r.studentName)}</td><td>${STATUS[r.status]}${r.error ? `: ${esc(r.error)}` : ""}</td></tr>`).join("");
  const missing = report.missing.length
    ? `<div class="card"><p>${report.missing.length} học sinh của các lớp này không có trong tệp:</p><ul>${report.missing.map((m) => `<li>${esc(m.className)} — ${esc(m.studentName)}</li>`).join("")}</ul>
       ${apply ? `<label><input type="checkbox" name="markLeft" value="1" form="apply"> Đánh dấu các em này đã rời trường (không xóa)</label>` : report.markedLeft ? `<p>Đã đánh dấu ${report.markedLeft} em đã rời trường.</p>` : ""}</div>`
    : "";
  const summary = `<p><b>${report.created}</b> thêm mới · <b>${report.updated}</b> cập nhật · <b>${report.rows.filter((r) => r.status === "exists").length}</b> không đổi · <b>${report.errors}</b> từ chối</p>`;
  const action = apply
    ? `<form id="apply" method="post" action="/admin/roster/apply"><input type="hidden" name="_csrf" value="${esc(nav.csrf)}"><input type="hidden" name="upload" value="${esc(apply.uploadId)}"><button>Áp dụng</button> <a href="/admin/roster">Chọn tệp khác</a></form>`
    : `<p><a class="button" href="/admin">Về trang tổng quan</a></p>`;
  return layout(apply ? `Xem trước: ${fileName}` : `Đã nhập: ${fileName}`, `<div class="card">${summary}${action}</div>${missing}
<div class="card"><table><thead><tr><th>Dòng</th><th>Lớp</th><th>Học sinh</th><th>Kết quả</th></tr></thead><tbody>${rows}</tbody></table></div>`, nav);
}

export function classPage(nav: Parameters<typeof layout>[2] & object, c: { id: string; name: string; teacher: string }, pupils: { name: string; linked: number; left: boolean }[], extra = ""): string {
  const unlinked = pupils.filter((p) => p.linked === 0 && !p.left).length;
  const rows = pupils.map((p) => `<tr><td>${esc(p.name)}</td><td>${p.left ? "Đã rời trường" : p.linked ? `Đã liên kết (${p.linked})` : "Chưa liên kết"}</td></tr>`).join("");
  return layout(`Lớp ${c.name}`, `<div class="card"><p>GVCN: ${esc(c.teacher || "chưa phân công")}</p>
<p>${unlinked} gia đình chưa liên kết. <a class="button" href="/admin/classes/${esc(c.id)}/slips.pdf">In phiếu mời (${unlinked} gia đình chưa liên kết)</a></p></div>
<div class="card"><table><thead><tr><th>Học sinh</th><th>Liên kết</th></tr></thead><tbody>${rows}</tbody></table></div>${extra}`, nav);
}

/** A horizontal bar (CSS only) of `part` out of `whole`, with the figures beside it. */
const bar = (part: number, whole: number) => {
  const pct = whole ? Math.round((100 * part) / whole) : 0;
  return `<div class="bar" role="img" aria-label="${pct}%"><span style="width:${pct}%"></span></div><span class="muted">${part}/${whole}</span>`;
};

export function reportsPage(nav: Parameters<typeof layout>[2] & object, classes: ClassReport[]): string {
  const table = (head: string[], rows: string[]) =>
    `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows.join("") || `<tr><td colspan="${head.length}">Chưa có số liệu.</td></tr>`}</tbody></table>`;
  const card = (title: string, body: string) => `<section class="card"><h2>${esc(title)}</h2>${body}</section>`;
  const linked = classes.map((c) => `<tr><td>${esc(c.name)}</td><td>${bar(c.households.linked, c.households.pupils)}</td></tr>`);
  const notices = classes.map((c) => `<tr><td>${esc(c.name)}</td><td>${c.notices.notices}</td><td>${bar(c.notices.reached, c.notices.households)}</td><td>${bar(c.notices.confirmed, c.notices.households)}</td></tr>`);
  const meetings = classes.map((c) => `<tr><td>${esc(c.name)}</td><td>${c.meetings.meetings}</td><td>${c.meetings.invited}</td><td>${bar(c.meetings.attending, c.meetings.invited)}</td><td>${bar(c.meetings.attended, c.meetings.invited)}</td></tr>`);
  const concerns = classes.map((c) => `<tr><td>${esc(c.name)}</td><td>${c.concerns.total}</td><td>${Object.entries(c.concerns.byCategory).map(([k, n]) => `${esc(k)}: ${n}`).join(", ") || "—"}</td>
    <td>${c.concerns.medianFirstResponseMinutes ?? "—"}</td><td>${c.concerns.escalations}</td></tr>`);
  const polls = classes.flatMap((c) => c.polls.map((p) => `<tr><td>${esc(c.name)}</td><td>${esc(p.question)}</td><td>${p.options.map((o, i) => `<div>${esc(o)}</div>${bar(p.counts[i] ?? 0, p.voted)}`).join("")}</td><td>${p.voted}/${p.households}</td></tr>`));
  return layout("Báo cáo", `<div class="card"><a class="button" href="/admin/reports.xlsx">Tải Excel (.xlsx)</a> <a class="button" href="/admin/reports.csv">Tải CSV</a>
<p class="muted">Chỉ có số liệu đếm: nội dung phản ánh, thông báo riêng và tên người trả lời không có trong báo cáo.</p></div>
${card("Gia đình đã liên kết", table(["Lớp", "Đã liên kết / học sinh"], linked))}
${card("Thông báo", table(["Lớp", "Số thông báo", "Đã nhận", "Đã xác nhận"], notices))}
${card("Họp phụ huynh", table(["Lớp", "Số cuộc họp", "Được mời", "Sẽ dự", "Đã dự"], meetings))}
${card("Phản ánh", table(["Lớp", "Số phản ánh", "Theo loại", "Phản hồi đầu tiên (trung vị, phút)", "Chuyển cấp"], concerns))}
${card("Khảo sát", table(["Lớp", "Câu hỏi", "Kết quả", "Đã trả lời"], polls))}`, nav);
}
