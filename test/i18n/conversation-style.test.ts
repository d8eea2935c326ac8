/**
 * The "Conversation style" of locales/README.md, checked over every message: each is rendered
 * for each kind of reader, with every placeholder given a full date-time ("Thứ Hai, 14/12/2026
 * lúc 18:00", which carries its own "lúc"), and read the way its recipient would.
 */
import { describe, it, expect } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { LOCALES_DIR, readMessageIds, Translator, type Locale } from "../../src/i18n/fluent.js";
import { readerOf, titleCode, givenName, type Reader } from "../../src/domain/address.js";
import { NO_ROLES, type Roles } from "../../src/domain/roles.js";
import type { SayArgs } from "../../src/engine/say.js";
import type { MessageKey } from "../../src/i18n/keys.js";
import { formatDateTime } from "../../src/domain/time.js";

const t = new Translator();
const AT = { date: "2026-12-14T11:00:00.000Z", style: "datetime" } as const;

/** Every `$variable` named in a locale's files, except the reader's own (the engine passes those). */
function variables(locale: Locale): string[] {
  const dir = join(LOCALES_DIR, locale);
  const names = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".ftl")))
    for (const m of readFileSync(join(dir, f), "utf8").matchAll(/\$([A-Za-z][\w-]*)/g)) names.add(m[1]!);
  names.delete("reader");
  names.delete("title");
  names.delete("readerName");
  return [...names];
}

/** Every variable as the date-time it would show (formatted once: formatting per message is slow). */
const dateArgs = (locale: Locale): SayArgs => {
  const shown = formatDateTime(new Date(AT.date), locale);
  return Object.fromEntries(variables(locale).map((v) => [v, shown]));
};

const READERS: Record<string, Reader> = {
  guardian: { reader: "guardian", title: "none", readerName: "" },
  board: { reader: "board", title: "none", readerName: "" },
  "teacher Cô": { reader: "teacher", title: "co", readerName: "Lan" },
  "teacher Thầy": { reader: "teacher", title: "thay", readerName: "Minh" },
  "principal (no title recorded)": { reader: "principal", title: "none", readerName: "" },
  unknown: { reader: "unknown", title: "none", readerName: "" },
};

function renderAll(locale: Locale, reader: Reader): [string, string][] {
  const args = dateArgs(locale);
  return readMessageIds(locale).map((id) => [id, t.t(locale, id as MessageKey, args, reader)]);
}

describe("conversation style (locales/README.md)", () => {
  it("no message says 'lúc' twice around a date: a date-time placeholder brings its own 'lúc'", () => {
    for (const [who, reader] of Object.entries(READERS))
      for (const [id, text] of renderAll("vi", reader)) {
        expect(text, `${who}: ${id}`).not.toMatch(/lúc (Thứ|Chủ Nhật)/);
        expect(text, `${who}: ${id}`).not.toMatch(/lúc \d\d:\d\d lúc/);
      }
    for (const [id, text] of renderAll("en", READERS.guardian!))
      expect(text, `en: ${id}`).not.toMatch(/\bat (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)/);
  });

  it("no message lists every possible addressee ('Thầy/Cô/Quý phụ huynh', 'Quý phụ huynh/Thầy Cô', 'Cô/Thầy')", () => {
    for (const [who, reader] of Object.entries(READERS))
      for (const [id, text] of renderAll("vi", reader))
        expect(text, `${who}: ${id}`).not.toMatch(/Thầy\/Cô\/Quý phụ huynh|Quý phụ huynh\/Thầy Cô|Cô\/Thầy|Ban đại diện\/nhà trường/);
  });

  it("a teacher whose title is recorded is never called 'Thầy/Cô' nor told what 'Quý phụ huynh' may do", () => {
    for (const [id, text] of renderAll("vi", READERS["teacher Cô"]!)) {
      expect(text, id).not.toContain("Thầy/Cô");
      expect(text, id).not.toMatch(/Quý phụ huynh có thể (bấm|chọn) "Mở lại"/);
    }
  });

  it("a message that may arrive as a numbered list (Zalo) never asks to press a button, unless it also offers typing the number", () => {
    for (const [who, reader] of Object.entries(READERS))
      for (const [id, text] of renderAll("vi", reader))
        if (/bấm (một |các )?nút/.test(text)) expect(text, `${who}: ${id}`).toMatch(/gõ số|nút này|nút trên|nút xem thử|hết hiệu lực/);
    for (const [id, text] of renderAll("en", READERS.guardian!))
      if (/press (a|the) button/.test(text)) expect(text, `en: ${id}`).toMatch(/type the number/);
  });

  it("the parent on a board is addressed as Quý phụ huynh, staff by their title, somebody unlinked as Quý vị", () => {
    expect(t.t("vi", "menu-greeting-linked", {}, READERS.board)).toBe("Kính chào Quý phụ huynh!");
    expect(t.t("vi", "poll-menu-prompt", {}, READERS.board)).toBe("Dạ, Quý phụ huynh muốn làm gì ạ?");
    expect(t.t("vi", "poll-menu-prompt", {}, READERS["teacher Cô"])).toBe("Dạ, Cô muốn làm gì ạ?");
    expect(t.t("vi", "menu-greeting-linked", {}, READERS["teacher Thầy"])).toBe("Kính chào Thầy!");
    expect(t.t("vi", "menu-greeting-linked", {}, READERS["principal (no title recorded)"])).toBe("Kính chào Thầy/Cô!");
    expect(t.t("vi", "menu-greeting", {}, READERS.unknown)).toMatch(/^Kính chào Quý vị!/);
    expect(t.t("en", "menu-greeting-linked", {}, READERS.guardian)).toBe("Hello, dear parent!");
  });

  it("English addresses staff by title and given name ('Ms Lan', 'Mr Minh'), never 'Madam' or 'Sir', and never a title without a name", () => {
    for (const [who, reader] of Object.entries(READERS))
      for (const [id, text] of renderAll("en", reader)) {
        expect(text, `${who}: ${id}`).not.toMatch(/\b(Madam|Sir)\b/);
        expect(text, `${who}: ${id}`).not.toMatch(/\b(Ms|Mr)\b(?! \p{Lu})/u);
      }
    expect(t.t("en", "menu-greeting-linked", {}, READERS["teacher Cô"])).toBe("Hello, Ms Lan!");
    expect(t.t("en", "menu-greeting-linked", {}, READERS["teacher Thầy"])).toBe("Hello, Mr Minh!");
    expect(t.t("en", "menu-greeting-linked", {}, READERS["principal (no title recorded)"])).toBe("Hello, dear colleague!");
    // A staff member linking a code is addressed before their new role is among their roles: the flow passes both.
    expect(t.t("en", "link-done-role", { role: "homeroom-teacher", class: "6A1", title: "co", readerName: "Lan" }, READERS.unknown)).toMatch(/Welcome, Ms Lan!$/);
    expect(t.t("en", "link-done-role", { role: "principal", class: "none", title: "thay", readerName: "Minh" }, READERS.unknown)).toMatch(/Welcome, Mr Minh!$/);
  });

  it("a petition that reached half the class asks the teacher to call the meeting, and the board head (a parent) to agree it with the teacher", () => {
    const args = { signatures: 2, households: 3, className: "6A1", reason: "Học phí" };
    expect(t.t("vi", "meeting-petition-reached", args, READERS["teacher Cô"])).toMatch(/Cô vui lòng xem xét tổ chức cuộc họp \(gõ \/hop\) ạ\.$/);
    expect(t.t("vi", "meeting-petition-reached", args, READERS.board)).toMatch(/Kính đề nghị Quý phụ huynh trao đổi với giáo viên chủ nhiệm để tổ chức cuộc họp ạ\.$/);
  });

  it("a third person is named by title and given name; signatures are capitalised", () => {
    expect(t.t("vi", "concern-acknowledged-guardian", { number: "PA-0001", who: "teacher", whoTitle: titleCode("Cô"), whoName: givenName("Nguyễn Thị Lan") }, READERS.guardian))
      .toBe("Dạ, Cô Lan đã nhận phản ánh PA-0001 ạ.");
    expect(t.t("en", "concern-acknowledged-guardian", { number: "PA-0001", who: "teacher", whoTitle: "thay", whoName: "Minh" }, READERS.guardian))
      .toBe("Mr Minh has seen concern PA-0001.");
    const sig = { signerRole: "homeroom-teacher", signerClass: "6A1", signerTitle: titleCode("cô"), signerName: "Nguyễn Thị Lan" };
    expect(t.t("vi", "notice-signature", sig)).toBe("Cô Nguyễn Thị Lan — GVCN lớp 6A1");
    expect(t.t("en", "notice-signature", sig)).toBe("Ms Nguyễn Thị Lan — Homeroom teacher of 6A1");
  });

  it("a notice thanks once and signs once (no 'Trân trọng cảm ơn' followed by 'Trân trọng.')", () => {
    for (const kind of ["info", "ack"]) {
      const text = t.t("vi", "notice-message", { kind, urgent: "no", scope: "class", scopeName: "6A1", text: "Nội dung.", student: "An", deadline: AT,
        signerRole: "homeroom-teacher", signerClass: "6A1", signerTitle: "co", signerName: "Nguyễn Thị Lan" });
      expect(text.match(/Trân trọng/g), kind).toHaveLength(1);
      expect(text, kind).toMatch(/Trân trọng cảm ơn Quý phụ huynh!\nCô Nguyễn Thị Lan — GVCN lớp 6A1$/);
    }
  });

  it("the bot's own example topic does not make the invitation say 'góp ý về: Góp ý về'", () => {
    const example = /ví dụ: "([^"]+)"/.exec(t.t("vi", "opinion-ask-topic", {}, READERS.board))![1]!;
    const invite = t.t("vi", "opinion-invite", { topic: example, scope: "class", scopeName: "6A1", deadline: AT });
    expect(invite).not.toMatch(/góp ý về[:\s]+Góp ý về/i);
    expect(example).not.toMatch(/^góp ý/i);
  });

  it("a concern about a teacher is announced as going to Ban giám hiệu, never to 'the teacher'", () => {
    for (const key of ["concern-created", "concern-created-quiet", "concern-created-unassigned"] as const) {
      const text = t.t("vi", key, { number: "PA-0001", urgent: "no", respondBy: AT, deliverAt: AT, to: "principal" }, READERS.guardian);
      expect(text, key).toContain("Ban giám hiệu");
      expect(text, key).not.toMatch(/Thầy\/Cô|giáo viên chủ nhiệm/);
    }
  });

  it("who the reader is follows their strongest role, and a staff title is read from what the office typed", () => {
    const staff = (role: Roles["staff"][number]["role"], title?: Reader["title"]): Roles =>
      ({ ...NO_ROLES, staff: [{ role, schoolId: "s", classGroupId: "c", className: "6A1", staffName: "Nguyễn Thị Lan", ...(title ? { title } : {}) }] });
    expect(readerOf(staff("homeroom-teacher", "co"))).toEqual({ reader: "teacher", title: "co", readerName: "Lan" });
    expect(readerOf(staff("principal"))).toEqual({ reader: "principal", title: "none", readerName: "" });
    expect(readerOf({ ...NO_ROLES, board: [{ scope: "class", position: "head", schoolId: "s", classGroupId: "c", className: "6A1" }],
      guardianOf: [{ studentId: "x", studentName: "An", classGroupId: "c", className: "6A1", schoolId: "s" }] })).toEqual({ reader: "board", title: "none", readerName: "" });
    expect(readerOf(NO_ROLES)).toEqual({ reader: "unknown", title: "none", readerName: "" });
    expect(["Cô", "cô", " CÔ ", "Thầy", "thay", "Thầy/Cô", "", undefined].map(titleCode)).toEqual(["co", "co", "co", "thay", "thay", "none", "none", "none"]);
  });
});
