/**
 * Folds Vietnamese text for matching: NFC, tones and diacritics removed, đ → d, lower case,
 * whitespace collapsed. "Có", "CÓ", "co" and "có " all fold to "co".
 *
 * @example foldText("  Đồng  Ý ") === "dong y"
 */
export function foldText(input: string): string {
  return input
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** Given name of a Vietnamese full name: its last word ("Nguyễn Văn An" → "An"). */
export function givenName(fullName: string): string {
  const parts = fullName.trim().split(/\s+/);
  return parts[parts.length - 1] ?? fullName;
}

/**
 * Compares Vietnamese full names the way class lists are sorted: by given name first, then
 * by the rest, with Vietnamese collation.
 */
export function compareVietnameseNames(a: string, b: string): number {
  const collator = new Intl.Collator("vi", { sensitivity: "base" });
  return collator.compare(givenName(a), givenName(b)) || collator.compare(a, b);
}

/** Splits a long text into chunks of at most `limit` characters, preferring paragraph and line breaks. */
export function splitText(text: string, limit: number): string[] {
  const chars = [...text];
  if (chars.length <= limit) return [text];
  const chunks: string[] = [];
  let rest = text;
  while ([...rest].length > limit) {
    const window = [...rest].slice(0, limit).join("");
    // Prefer a paragraph break, then a line break, then a space, in the second half of the window.
    const cut = ["\n\n", "\n", " "].map((sep) => window.lastIndexOf(sep)).find((i) => i > window.length / 2);
    const at = cut ?? window.length;
    chunks.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}

/**
 * `s` without NUL characters: the database (FerretDB on PostgreSQL) cannot store them, so a
 * message carrying one would fail on every attempt to handle it. Parsers clean what they read.
 */
export function withoutNul(s: string): string {
  return s.includes("\u0000") ? s.replaceAll("\u0000", "") : s;
}
