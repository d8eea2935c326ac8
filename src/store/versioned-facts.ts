/**
 * Versioned decisions kept as transition facts (facts.ts): a homeroom assignment, a parent
 * board, a student's invite code. Each change of entity `e` is the fact `e#v<n>` (n = 0, 1, …),
 * inserted once; the latest one is the current state. Reads only; the rules live in
 * src/features/staff and src/features/boards.
 */
import type { TransitionFact } from "./facts.js";
import type { Models } from "./models.js";

/** The entity of a class's homeroom assignment. */
export const homeroomEntity = (classGroupId: string) => `homeroom:${classGroupId}`;
/** The entity of a class board (a class belongs to one school year, so the board does too). */
export const classBoardEntity = (classGroupId: string) => `board:class:${classGroupId}`;
/** The entity of a school board of one school year. */
export const schoolBoardEntity = (schoolId: string, yearId: string) => `board:school:${schoolId}:${yearId}`;
/** The entity of a student's guardian invite code (revoked and reissued). */
export const studentCodeEntity = (studentId: string) => `code:${studentId}`;

export interface Versioned<T> {
  /** How many changes were decided: the next change competes for slot `v<version>`. */
  version: number;
  /** The latest decision's data, if any. */
  current?: T;
  fact?: TransitionFact;
}

const versionOf = (f: TransitionFact) => Number(f._id.slice(f._id.lastIndexOf("#v") + 2));

/** The latest decision of each entity (entities without any are absent from the map). */
export async function latestOfMany<T>(models: Pick<Models, "Transition">, entities: string[]): Promise<Map<string, Versioned<T>>> {
  const out = new Map<string, Versioned<T>>();
  if (entities.length === 0) return out;
  // One equality read per entity, not `$in`: FerretDB pushes only equality down to its index, so an
  // `$in` over the transitions (which grow with every decision ever made) would read them all —
  // on every turn, since rolesOf asks for a teacher's homeroom classes.
  const facts = (await Promise.all([...new Set(entities)].map((entity) => models.Transition.find({ entity }).lean()))).flat() as unknown as TransitionFact[];
  for (const f of facts) {
    if (!/#v\d+$/.test(f._id)) continue;
    const v = versionOf(f);
    const seen = out.get(f.entity);
    if (!seen || v + 1 > seen.version) out.set(f.entity, { version: v + 1, current: JSON.parse(f.data) as T, fact: f });
  }
  return out;
}

/** The latest decision of one entity; `{ version: 0 }` when none was made yet. */
export async function latestOf<T>(models: Pick<Models, "Transition">, entity: string): Promise<Versioned<T>> {
  return (await latestOfMany<T>(models, [entity])).get(entity) ?? { version: 0 };
}
