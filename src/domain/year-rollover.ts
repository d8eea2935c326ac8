/**
 * The pure rules of the year rollover: the next school year's name, a class's name one grade
 * up by the school's naming rule, and which grade is the school's last. Pure.
 *
 * A naming rule is a template with `{grade}` (the new grade number) and `{suffix}` (what follows
 * the grade in the old name, as written), `{SUFFIX}` (upper-cased) or `{n}` (the suffix's digits
 * only). The default keeps the school's own spelling: "6A1" → "7A1", "10a2" → "11a2",
 * "6/1" → "7/1".
 *
 * @example nextClassName("10a2") // → "11a2"
 * @example nextClassName("6A1", "{grade}/{n}") // → "7/1"
 */

export const DEFAULT_NAMING = "{grade}{suffix}";

/** The grade and the rest of a class name ("Lớp 6A1" → 6, "A1"); undefined without a leading grade. */
export function splitClassName(name: string): { grade: number; suffix: string } | undefined {
  const m = /^\s*(?:lớp\s*|lop\s*)?(\d{1,2})(.*)$/i.exec(name.normalize("NFC"));
  return m ? { grade: Number(m[1]), suffix: m[2]!.trim() } : undefined;
}

/** True for a template that names the grade and yields a usable name. */
export function isNamingRule(template: string): boolean {
  return template.includes("{grade}") && template.length <= 40 && /^[\p{L}\p{N}{}/.\- ]+$/u.test(template)
    && template.replace(/\{(grade|suffix|SUFFIX|n)\}/g, "").indexOf("{") < 0;
}

/** The class name one grade up by `template`; undefined for a name without a grade ("Lá 1"). */
export function nextClassName(name: string, template = DEFAULT_NAMING): string | undefined {
  const parts = splitClassName(name);
  if (!parts) return undefined;
  const rule = isNamingRule(template) ? template : DEFAULT_NAMING;
  return rule
    .replace("{grade}", String(parts.grade + 1))
    .replace("{suffix}", parts.suffix)
    .replace("{SUFFIX}", parts.suffix.toUpperCase())
    .replace("{n}", parts.suffix.replace(/\D/g, ""))
    .trim();
}

/**
 * The grade whose pupils leave at the end of the year, by the school's level read from its
 * grades: primary (up to 5) → 5, lower secondary (up to 9) → 9, upper secondary → 12.
 */
export function finalGradeOf(grades: number[]): number {
  const top = Math.max(0, ...grades);
  return top <= 5 ? 5 : top <= 9 ? 9 : 12;
}

/** "2025-2026" → "2026-2027"; undefined when it is not a year name. */
export function nextYearName(name: string): string | undefined {
  const m = /^(\d{4})-(\d{4})$/.exec(name.trim());
  return m && Number(m[2]) === Number(m[1]) + 1 ? `${m[2]}-${Number(m[2]) + 1}` : undefined;
}
