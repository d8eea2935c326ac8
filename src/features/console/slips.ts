/**
 * Invite slips to print and hand to families at the first meeting: A4, 8 slips a page (2 × 4),
 * each with the school, class and pupil, a QR code of the Telegram deep link, how to link on
 * Zalo with the code, when the code expires, and a one-line privacy notice — in Be Vietnam Pro
 * (a TTF with every Vietnamese diacritic, shipped by an npm package).
 */
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { formatInviteCode } from "../../domain/invite-code.js";

export interface Slip {
  studentName: string;
  className: string;
  code: string;
  /** What the QR code opens: the Telegram deep link, or the code itself without a bot username. */
  link: string;
  expiresAt: Date;
}

const require = createRequire(import.meta.url);
const FONT = require.resolve("@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf");
const FONT_BOLD = require.resolve("@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf");

export const SLIPS_PER_PAGE = 8;
const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 24;

const ddmmyyyy = (d: Date) => `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()}`;

/** The PNG of a slip's QR code (also what tests decode). */
export function slipQrPng(link: string): Promise<Buffer> {
  return QRCode.toBuffer(link, { type: "png", errorCorrectionLevel: "M", margin: 1, width: 240 });
}

/** The slips as one PDF. */
export async function renderSlipsPdf(input: { schoolName: string; zaloName?: string; slips: Slip[] }): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: 0, info: { Title: `Phiếu liên kết — ${input.schoolName}`, Author: "Sổ liên lạc" } });
  doc.registerFont("regular", FONT);
  doc.registerFont("bold", FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));

  const w = (A4.width - 2 * MARGIN) / 2, h = (A4.height - 2 * MARGIN) / 4;
  for (const [i, s] of input.slips.entries()) {
    if (i > 0 && i % SLIPS_PER_PAGE === 0) doc.addPage();
    const n = i % SLIPS_PER_PAGE;
    const x = MARGIN + (n % 2) * w, y = MARGIN + Math.floor(n / 2) * h;
    doc.save().dash(4, { space: 3 }).strokeColor("#7b8794").rect(x, y, w, h).stroke().restore();
    const pad = 10, qr = 92, text = w - 2 * pad - qr - 8;
    doc.image(await slipQrPng(s.link), x + w - pad - qr, y + pad, { width: qr });
    doc.font("bold").fontSize(10).fillColor("#1f2933").text(input.schoolName, x + pad, y + pad, { width: text });
    doc.font("regular").fontSize(9).text("Kính gửi Quý phụ huynh học sinh", { width: text });
    doc.font("bold").fontSize(11).text(`${s.studentName} — lớp ${s.className}`, { width: text });
    doc.font("regular").fontSize(8.5).moveDown(0.3)
      .text("Telegram: quét mã QR bên phải.", { width: text })
      .text(`Zalo: quan tâm ${input.zaloName ?? "tài khoản của nhà trường"} rồi gửi mã:`, { width: text });
    doc.font("bold").fontSize(13).text(formatInviteCode(s.code), { width: text, characterSpacing: 1 });
    doc.font("regular").fontSize(7.5).fillColor("#52606d").moveDown(0.2)
      .text(`Mã dùng được đến ${ddmmyyyy(s.expiresAt)}, cho tối đa hai phụ huynh. Không chia sẻ mã cho người khác.`, x + pad, doc.y, { width: w - 2 * pad })
      .text("Nhà trường chỉ lưu thông tin cần cho liên lạc và chỉ sau khi Quý phụ huynh đồng ý; có thể xem hoặc xóa bất cứ lúc nào.", { width: w - 2 * pad });
  }
  if (input.slips.length === 0) doc.font("regular").fontSize(12).text("Tất cả gia đình của lớp đã liên kết.", MARGIN, MARGIN);
  doc.end();
  return done;
}
