/**
 * The form of address (xưng hô): who reads a message and how the bot addresses them. The
 * engine passes `reader`, `title` and `readerName` to every message it renders, so the Fluent messages
 * `addr-you` / `addr-staff` say "Cô", "Thầy", "Quý phụ huynh" or "Thầy/Cô" by themselves
 * (locales/README.md, "Conversation style").
 */
import { foldText } from "./text.js";
import type { Roles, StaffTitle } from "./roles.js";

export type { StaffTitle };

/** The reader's part: parents (guardians, board members) are "Quý phụ huynh", staff "Thầy/Cô". */
export type ReaderRole = "guardian" | "board" | "teacher" | "principal" | "admin" | "unknown";

/**
 * The Fluent arguments every rendered message receives. `readerName` is the given name of a
 * staff reader whose title is recorded ("Lan"), "" otherwise: English addresses staff by title
 * and name ("Ms Lan"), so whoever passes `title` for a reader passes `readerName` with it.
 */
export interface Reader {
  reader: ReaderRole;
  title: StaffTitle;
  readerName: string;
}

export const UNKNOWN_READER: Reader = { reader: "unknown", title: "none", readerName: "" };

/** Reads a free-text title ("Cô", "thầy", "Ms", "Mr", "Thầy/Cô") as a code; anything else is "none". */
export function titleCode(raw: string | undefined | null): StaffTitle {
  const t = foldText(raw ?? "").replace(/[.\s]+/g, "");
  if (t === "thay" || t === "mr") return "thay";
  if (t === "co" || t === "ms" || t === "mrs" || t === "miss") return "co";
  return "none";
}

/** The given name a person is called by with a title: "Nguyễn Thị Lan" → "Lan". */
export function givenName(fullName: string): string {
  const parts = fullName.trim().split(/\s+/);
  return parts[parts.length - 1] ?? "";
}

/**
 * Who the reader is, from their roles: school leadership, then homeroom teacher, then office
 * staff, then a parent on a board, then a guardian. Staff are addressed by their title (and, in
 * English, their given name).
 */
export function readerOf(roles: Roles): Reader {
  const titled = roles.staff.find((s) => (s.title ?? "none") !== "none");
  const title = titled?.title ?? "none";
  const readerName = titled ? givenName(titled.staffName) : "";
  const has = (...r: string[]) => roles.staff.some((s) => r.includes(s.role));
  if (has("principal", "vice-principal")) return { reader: "principal", title, readerName };
  if (has("homeroom-teacher")) return { reader: "teacher", title, readerName };
  if (has("admin")) return { reader: "admin", title, readerName };
  if (roles.board.length > 0) return { reader: "board", title: "none", readerName: "" };
  if (roles.guardianOf.length > 0) return { reader: "guardian", title: "none", readerName: "" };
  return UNKNOWN_READER;
}
