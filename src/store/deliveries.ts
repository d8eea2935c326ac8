/**
 * Delivery records of the outbox: one immutable `Delivery` per (item, recipient), keyed by a
 * deterministic id, and its progress as append-only facts (`DeliveryMark`, one document per
 * fact, `_id = ${deliveryId}|${kind}`, never updated):
 *
 *   sending-<k>   try k started (the unique _id makes it a lock: one worker per try); with
 *                 error "superseded" the slot was taken by `supersede`, and nothing is sent
 *   clear-<k>     try k ended with nothing unaccounted for (429 / 5xx / network error)
 *   part-<p>      part p (1-based) reached the person (the last part is covered by `sent`)
 *   duplicate     a try found try k-1 neither finished nor cleared: it was in flight at a
 *                 crash, and the Bot API takes no idempotency key, so a second copy may arrive
 *   sent | unreachable | failed   terminal (failed carries the error, e.g. "superseded")
 *
 * Why facts rather than a status field: a read-then-update of one document is racy on
 * FerretDB (no transactions), and there `updateOne({_id})` scans the whole collection. Beware
 * that FerretDB 1.24 on SQLite uses no index for reads at all, not even `{_id}` (its _id
 * index is on `sjson->"_id"`, the pushed-down filter reads `sjson->'$._id'`): a lookup scans
 * until the document is found, so a lookup of an ABSENT document scans everything. Only the
 * unique-index check of an insert is cheap at any size. Hence the worker's common path
 * (first try) reads nothing but the delivery and the recipient's locale: it claims
 * `sending-1` by inserting it, and the writers of a terminal mark outside a try (`supersede`,
 * `importLegacyDeliveryStates`) claim a try slot first too, so a successful first claim proves
 * that no terminal mark exists.
 * Retries take the slow path of exact `_id` lookups. Reports read a group's marks with one
 * `find({group})`.
 *
 * `OpenDelivery` holds one small document per delivery that has no terminal mark yet (with its
 * `notBefore` as `dueAt`): inserted with the delivery, deleted after the terminal mark. It is
 * what the outbox reconciler (src/jobs/outbox-reconcile.ts) reads every minute to re-enqueue
 * the jobs Redis lost, so that read stays proportional to the deliveries in flight, not to all
 * of history. An entry left behind by a crash after the terminal mark is removed by the
 * reconciler once it sees that mark. A delivery a routing channel holds (the Zalo OA) leaves
 * the set, unless its hold has a retry time: then its entry names the delayed job and is due
 * then (src/store/zalo-oa-activity.ts, `hold`); a release puts it back under its release job.
 */
import type { Address } from "../engine/messages.js";
import type { Say } from "../engine/say.js";
import type { OutboxItem } from "../engine/ports.js";
import { pickLocale, type Locale } from "../i18n/fluent.js";
import { isDuplicateKey, type Models } from "./models.js";

export type DeliveryStatus = "queued" | "sending" | "sent" | "unreachable" | "failed";
export type TerminalMark = "sent" | "unreachable" | "failed";

/** The kinds of `DeliveryMark` (see the file comment). */
export const MARK = {
  sent: "sent", unreachable: "unreachable", failed: "failed", duplicate: "duplicate",
  sending: (k: number) => `sending-${k}`,
  clear: (k: number) => `clear-${k}`,
  part: (p: number) => `part-${p}`,
} as const;

export const TERMINAL_MARKS: readonly TerminalMark[] = ["sent", "unreachable", "failed"];

/** The error of a try slot taken by `supersede`, and of its `failed` mark. */
export const SUPERSEDED = "superseded";

/** The `_id` of a mark. */
export const markId = (deliveryId: string, kind: string) => `${deliveryId}|${kind}`;

/** An immutable delivery record. */
export interface DeliveryRecord {
  id: string;
  recipient: Address;
  identityId: string;
  messages: Say[];
  group: string;
  /** The recipient's locale read at enqueue ("" none); undefined on deliveries written before it was kept. */
  locale?: string;
  /** The zone its dates show in (the school's); undefined = the deployment default. */
  timeZone?: string;
}

/** What the marks of one delivery say. */
export interface DeliveryState {
  status: DeliveryStatus;
  possibleDuplicate: boolean;
  /** Tries started (the highest k of `sending-k`). */
  tries: number;
  /** The terminal mark's error, else the last cleared try's (""). */
  error: string;
  /** The last route a routing channel chose ("consultation:free", "template:user-id:template", "hold:no-template:none", …). */
  route?: string;
}

/** A delivery without a terminal mark, as the reconciler reads it. */
export interface OpenDeliveryRow {
  id: string;
  /** When it may be sent: its `notBefore`, else the epoch (at once). */
  dueAt: Date;
  /** The tag of its job id (`d-<id>-<tag>`) when it was brought back by a later job (a released hold, or a hold's retry). */
  job?: string;
}

export interface DeliveryReportRow extends DeliveryState {
  recipient: Address;
  identityId: string;
  group: string;
}

/** The outbox's view of delivery records (implemented here, used by src/jobs/outbox.ts). */
export interface DeliveryRepo {
  /** Inserts the deliveries that do not exist yet; returns every item's id. */
  createMany(items: (OutboxItem & { group?: string })[]): Promise<string[]>;
  load(id: string): Promise<DeliveryRecord | undefined>;
  /** Each mark's error text ("" when it has none), undefined when the mark does not exist
   * (exact `_id` lookups, in parallel; an absent mark costs a full scan on FerretDB). */
  readMarks(deliveryId: string, kinds: readonly string[]): Promise<(string | undefined)[]>;
  /** Records a fact; false when it was already recorded (duplicate key). */
  mark(delivery: Pick<DeliveryRecord, "id" | "group">, kind: string, error?: string): Promise<boolean>;
  localeOf(delivery: DeliveryRecord): Promise<Locale>;
  deliveryStatus(id: string): Promise<DeliveryState | undefined>;
  groupStatuses(group: string): Promise<Map<string, DeliveryReportRow>>;
  /** Marks the still-queued deliveries of these groups failed ("superseded"); returns how many. */
  supersede(groups: string[]): Promise<number>;
  /** When a mark was recorded (wall clock); undefined when it does not exist. */
  markedAt(deliveryId: string, kind: string): Promise<Date | undefined>;
  /** A page of the deliveries without a terminal mark, by id after `after`. */
  openDeliveries(after: string, limit: number): Promise<OpenDeliveryRow[]>;
  /** Which of these deliveries have a terminal mark (one query per chunk). */
  finished(ids: string[]): Promise<Set<string>>;
  /** Drops deliveries from the open set (they have a terminal mark, or no longer exist). */
  closeOpen(ids: string[]): Promise<void>;
  /**
   * Puts a delivery into the open set under a later job, `d-<id>-<job>` due at `dueAt` (a held
   * delivery released, or held until a retry time), replacing its entry: the reconciler
   * rebuilds that job if Redis loses it. Idempotent.
   */
  reopen(id: string, o: { dueAt: Date; job?: string }): Promise<void>;
}

/** The delivery id of an outbox item: its key (deterministic per thing and recipient). */
export const deliveryId = (item: OutboxItem) => item.key;

const CHUNK = 1_000;

/** Folds one delivery's marks (kind → error text) into its state. */
export function stateFromMarks(marks: ReadonlyMap<string, string>): DeliveryState {
  let tries = 0;
  let superseded = false;
  while (marks.has(MARK.sending(tries + 1))) superseded ||= marks.get(MARK.sending(++tries)) === SUPERSEDED;
  const terminal = TERMINAL_MARKS.find((t) => marks.has(t));
  const inFlight = tries > 0 && !marks.has(MARK.clear(tries));
  let route: string | undefined;
  for (let k = tries; k > 0 && route === undefined; k--) route = marks.get(`route-${k}`);
  const state = (status: DeliveryStatus, error: string): DeliveryState => ({ status, possibleDuplicate: marks.has(MARK.duplicate), tries, error, ...(route !== undefined ? { route } : {}) });
  if (terminal) return state(terminal, marks.get(terminal)!);
  // A slot taken by `supersede` whose `failed` mark is not written yet (or was lost in a crash).
  if (superseded) return state("failed", SUPERSEDED);
  return state(inFlight ? "sending" : "queued", tries > 0 ? marks.get(MARK.clear(tries)) ?? "" : "");
}

async function insertMark(models: Models, delivery: Pick<DeliveryRecord, "id" | "group">, kind: string, error?: string): Promise<boolean> {
  let inserted = true;
  try {
    await models.DeliveryMark.create({ _id: markId(delivery.id, kind), delivery: delivery.id, group: delivery.group, kind, at: new Date(), ...(error !== undefined ? { error } : {}) });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    inserted = false;
  }
  // The open entry is not deleted here (it would be a fourth operation per message): the
  // reconciler closes entries in batches once their job has left Redis and a terminal mark exists.
  return inserted;
}

async function readMarks(models: Models, id: string, kinds: readonly string[]): Promise<(string | undefined)[]> {
  return Promise.all(kinds.map(async (kind) => {
    const m = await models.DeliveryMark.findOne({ _id: markId(id, kind) }).select({ error: 1 }).lean();
    return m ? m.error ?? "" : undefined;
  }));
}

/** One delivery's state by exact `_id` lookups; undefined if it does not exist. */
export async function deliveryStatus(models: Models, id: string): Promise<DeliveryState | undefined> {
  const fixed = [...TERMINAL_MARKS, MARK.duplicate];
  const [delivery, ...docs] = await Promise.all([
    models.Delivery.findOne({ _id: id }).select({ _id: 1 }).lean(),
    ...fixed.map((kind) => models.DeliveryMark.findOne({ _id: markId(id, kind) }).lean()),
  ]);
  if (!delivery) return undefined;
  const marks = new Map<string, string>();
  docs.forEach((d, i) => { if (d) marks.set(fixed[i]!, d.error ?? ""); });
  for (let k = 1; ; k++) {
    const [sending, clear] = await Promise.all([MARK.sending(k), MARK.clear(k)].map((kind) => models.DeliveryMark.findOne({ _id: markId(id, kind) }).lean()));
    if (!sending) break;
    marks.set(MARK.sending(k), sending.error ?? "");
    if (clear) marks.set(MARK.clear(k), clear.error ?? "");
  }
  return stateFromMarks(marks);
}

/** Every delivery of some groups with its state: one `find` on deliveries and one on marks (scans are fine for reports). */
async function statesOf(models: Models, groups: string[]): Promise<Map<string, DeliveryReportRow>> {
  const filter = groups.length === 1 ? { group: groups[0]! } : { group: { $in: groups } };
  const [deliveries, marks] = await Promise.all([
    models.Delivery.find(filter).select({ messages: 0 }).lean(),
    models.DeliveryMark.find(filter).select({ delivery: 1, kind: 1, error: 1 }).lean(),
  ]);
  const byDelivery = new Map<string, Map<string, string>>();
  for (const m of marks) {
    const entry = byDelivery.get(m.delivery) ?? new Map<string, string>();
    entry.set(m.kind, m.error ?? "");
    byDelivery.set(m.delivery, entry);
  }
  return new Map(deliveries.map((d) => [d._id, {
    ...stateFromMarks(byDelivery.get(d._id) ?? new Map()),
    recipient: d.recipient as Address, identityId: d.identityId ?? "", group: d.group ?? "",
  }]));
}

export const groupStatuses = (models: Models, group: string) => statesOf(models, [group]);

/**
 * Fails the still-queued deliveries of these groups (never tried, or every try cleared) as
 * "superseded". Like a worker, it first claims the next try slot: if a worker claimed it
 * first, that delivery is being sent (no longer queued) and is left alone; if supersede
 * claimed it, no worker will send it.
 */
export async function supersede(models: Models, groups: string[]): Promise<number> {
  if (groups.length === 0) return 0;
  let n = 0;
  for (const [id, row] of await statesOf(models, groups)) {
    let state: DeliveryState | undefined = row;
    // A worker may clear its try between our read and our claim: look again a few times.
    for (let round = 0; round < 5 && state?.status === "queued"; round++) {
      if (await insertMark(models, { id, group: row.group }, MARK.sending(state.tries + 1), SUPERSEDED)) {
        await insertMark(models, { id, group: row.group }, MARK.failed, SUPERSEDED);
        n++;
        break;
      }
      state = await deliveryStatus(models, id);
    }
  }
  return n;
}

/** Erasure: deletes a person's deliveries and their marks (marks first: a repeated erasure still finds them). */
export async function eraseDeliveriesOf(models: Models, identityId: string): Promise<{ deliveries: number; deliveryMarks: number }> {
  const found = await models.Delivery.find({ identityId }).select({ _id: 1, group: 1 }).lean();
  let marks = 0;
  for (let start = 0; start < found.length; start += CHUNK) {
    const chunk = found.slice(start, start + CHUNK);
    // By group too, so MongoDB can use the {group: 1} index.
    const groups = [...new Set(chunk.map((d) => d.group ?? ""))];
    marks += (await models.DeliveryMark.deleteMany({ group: { $in: groups }, delivery: { $in: chunk.map((d) => d._id) } })).deletedCount ?? 0;
  }
  for (let start = 0; start < found.length; start += CHUNK)
    await models.OpenDelivery.deleteMany({ _id: { $in: found.slice(start, start + CHUNK).map((d) => d._id) } });
  const deliveries = (await models.Delivery.deleteMany({ identityId })).deletedCount ?? 0;
  return { deliveries, deliveryMarks: marks };
}

/**
 * What a delivery's `messages` become once its words may no longer be kept: erased on request
 * (/xoadulieu of the person who wrote them) or expired after delivery. A worker that still
 * finds it sends the marker "[đã xóa theo yêu cầu]", never the words.
 */
export const ERASED_MESSAGES = JSON.stringify([{ key: "privacy-erased-content" }]);

/**
 * Erasure of words the person wrote to others: the deliveries of these groups (e.g. a
 * guardian's concern sent to the teacher and the principal) keep their records for the
 * reports, but their `messages` are replaced by `ERASED_MESSAGES`; the ones still queued are
 * superseded first, so nothing of them is sent afterwards.
 */
export async function redactDeliveryGroups(models: Models, groups: string[]): Promise<{ deliveriesRedacted: number }> {
  if (groups.length === 0) return { deliveriesRedacted: 0 };
  await supersede(models, groups);
  let n = 0;
  for (let start = 0; start < groups.length; start += CHUNK) {
    const chunk = groups.slice(start, start + CHUNK);
    n += (await models.Delivery.updateMany({ group: { $in: chunk }, messages: { $ne: ERASED_MESSAGES } }, { $set: { messages: ERASED_MESSAGES } })).modifiedCount ?? 0;
  }
  return { deliveriesRedacted: n };
}

/**
 * Retention (maintenance scheduler): the payload of a delivery whose terminal mark is older
 * than `cutoff` is emptied (`messages` = "[]"); the record and its marks stay for the reports.
 * Returns how many payloads were emptied.
 */
export async function expireDeliveryPayloads(models: Models, cutoff: Date): Promise<number> {
  const ended = await models.DeliveryMark.find({ kind: { $in: [...TERMINAL_MARKS] }, at: { $lt: cutoff } }).select({ delivery: 1 }).lean();
  const ids = [...new Set(ended.map((m) => m.delivery))];
  let n = 0;
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    n += (await models.Delivery.updateMany({ _id: { $in: chunk }, messages: { $ne: "[]" } }, { $set: { messages: "[]" } })).modifiedCount ?? 0;
  }
  return n;
}

/**
 * One-off upgrade of deliveries written before the facts existed (a `status` field on the
 * Delivery document): records the equivalent marks, then removes the old fields. Idempotent
 * (marks are inserts with unique ids), so it is safe to run at every start.
 */
export async function importLegacyDeliveryStates(models: Models): Promise<number> {
  const legacy = models.Delivery.collection.find({ status: { $exists: true } }, { projection: { messages: 0, recipient: 0 } });
  let n = 0;
  for await (const d of legacy) {
    const delivery = { id: String(d._id), group: String(d.group ?? "") };
    const status = String(d.status), error = String(d.error ?? ""), attempts = Number(d.attempts ?? 0);
    const add = (kind: string, err?: string) => insertMark(models, delivery, kind, err);
    // Every terminal state gets a claimed first slot: a first try must never find one free.
    const superseded = status === "failed" && error === SUPERSEDED && attempts === 0;
    if (status !== "queued" || attempts > 0) await add(MARK.sending(1), superseded ? SUPERSEDED : undefined);
    if (status === "queued" && attempts > 0) await add(MARK.clear(1), error);
    for (let p = 1; p <= Number(d.sentParts ?? 0) && status !== "sent"; p++) await add(MARK.part(p));
    if (d.possibleDuplicate) await add(MARK.duplicate);
    if (status === "sent" || status === "unreachable" || status === "failed") await add(status, status === "sent" ? undefined : error);
    await models.Delivery.collection.updateOne({ _id: d._id }, { $unset: { status: "", attempts: "", sentParts: "", possibleDuplicate: "", inFlightAt: "", sentAt: "", error: "" } });
    n++;
  }
  return n;
}

/** The per-document errors of an unordered bulk insert, when that is what `err` is. */
function writeErrors(err: unknown): { code?: number; index?: number }[] | undefined {
  const list = (err as { writeErrors?: unknown }).writeErrors;
  if (!Array.isArray(list)) return undefined;
  return list.map((e: { code?: number; index?: number; err?: { code?: number; index?: number } }) => ({ code: e.code ?? e.err?.code, index: e.index ?? e.err?.index }));
}

/** An unordered bulk insert in which a duplicate key is an existing document (a repeated or
 * concurrent enqueue); any other failure falls back to one by one. */
async function insertAllOnce<T>(model: { insertMany(docs: T[], o: { ordered: false }): Promise<unknown>; create(doc: T): Promise<unknown> }, docs: T[]): Promise<void> {
  if (docs.length === 0) return;
  try {
    await model.insertMany(docs, { ordered: false });
  } catch (err) {
    const errors = writeErrors(err);
    if (errors && errors.length > 0 && errors.every((e) => e.code === 11000)) return;
    for (const doc of docs) {
      try {
        await model.create(doc);
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
    }
  }
}

export function createDeliveryRepo(models: Models, defaultLocale: Locale = "vi"): DeliveryRepo {
  return {
    async createMany(items) {
      // Batched: one identity query per (channel, account) and one unordered insert per chunk.
      // A duplicate key is how an existing delivery (a repeated or concurrent enqueue) shows
      // up; any other failure falls back to one by one.
      for (let start = 0; start < items.length; start += CHUNK) {
        const chunk = items.slice(start, start + CHUNK);
        const identityIds = new Map<string, { id: string; locale: string }>();
        const byAccount = new Map<string, { channel: string; account: string; userIds: Set<string> }>();
        for (const item of chunk) {
          const k = `${item.recipient.channel}|${item.recipient.account}`;
          const entry = byAccount.get(k) ?? { channel: item.recipient.channel, account: item.recipient.account, userIds: new Set<string>() };
          entry.userIds.add(item.recipient.userId);
          byAccount.set(k, entry);
        }
        for (const { channel, account, userIds } of byAccount.values())
          for (const i of await models.ChannelIdentity.find({ channel, account, externalUserId: { $in: [...userIds] } }).lean())
            identityIds.set(`${channel}|${account}|${i.externalUserId}`, { id: i._id, locale: i.locale ?? "" });
        const seen = new Set<string>();
        const docs = chunk.filter((i) => !seen.has(i.key) && seen.add(i.key)).map((item) => {
          const identity = identityIds.get(`${item.recipient.channel}|${item.recipient.account}|${item.recipient.userId}`);
          // The locale travels with the delivery: the worker's first try then costs three
          // operations (load, claim, sent), none of them a read of the identity.
          return { _id: item.key, recipient: item.recipient, identityId: identity?.id ?? "", locale: identity?.locale ?? "", messages: JSON.stringify(item.messages), group: item.group ?? "", ...(item.timeZone ? { timeZone: item.timeZone } : {}) };
        });
        await insertAllOnce(models.Delivery, docs);
        // Into the open set after the delivery exists (the reconciler reads it). Also for a
        // delivery that existed: a retried enqueue after a crash between the two inserts
        // repairs the set; an entry for an already finished one is dropped by the reconciler.
        // No `notBefore`: due at once (epoch), whatever clock the caller's delays are computed with.
        const now = new Date();
        const dueAt = new Map(chunk.map((i) => [i.key, i.notBefore ?? new Date(0)]));
        await insertAllOnce(models.OpenDelivery, docs.map((d) => ({ _id: d._id, dueAt: dueAt.get(d._id)!, at: now })));
      }
      return items.map((i) => i.key);
    },
    async load(id) {
      const d = await models.Delivery.findOne({ _id: id }).lean();
      if (!d) return undefined;
      return { id: d._id, recipient: d.recipient as Address, identityId: d.identityId ?? "", messages: JSON.parse(d.messages) as Say[], group: d.group ?? "", ...(typeof d.locale === "string" ? { locale: d.locale } : {}), ...(d.timeZone ? { timeZone: d.timeZone } : {}) };
    },
    readMarks: (id, kinds) => readMarks(models, id, kinds),
    mark: (delivery, kind, error) => insertMark(models, delivery, kind, error),
    async localeOf(delivery) {
      if (delivery.locale !== undefined) return pickLocale(delivery.locale || undefined, defaultLocale);
      const identity = delivery.identityId ? await models.ChannelIdentity.findOne({ _id: delivery.identityId }).lean() : null;
      return pickLocale(identity?.locale, defaultLocale);
    },
    deliveryStatus: (id) => deliveryStatus(models, id),
    groupStatuses: (group) => groupStatuses(models, group),
    supersede: (groups) => supersede(models, groups),
    async markedAt(id, kind) {
      return (await models.DeliveryMark.findOne({ _id: markId(id, kind) }).select({ at: 1 }).lean())?.at;
    },
    async openDeliveries(after, limit) {
      const rows = await models.OpenDelivery.find(after ? { _id: { $gt: after } } : {}).sort({ _id: 1 }).limit(limit).lean();
      return rows.map((r) => ({ id: r._id, dueAt: r.dueAt, ...(typeof r.job === "string" && r.job ? { job: r.job } : {}) }));
    },
    async finished(ids) {
      const found = new Set<string>();
      // Reads by `_id`, 100 at a time, not one `$in`: FerretDB does not push `$in` down, and the
      // marks grow with every message ever sent.
      for (let start = 0; start < ids.length; start += 100) {
        const marks = ids.slice(start, start + 100).flatMap((id) => TERMINAL_MARKS.map((k) => markId(id, k)));
        for (const m of await Promise.all(marks.map((_id) => models.DeliveryMark.findOne({ _id }).select({ delivery: 1 }).lean()))) if (m) found.add(m.delivery);
      }
      return found;
    },
    async closeOpen(ids) {
      for (let start = 0; start < ids.length; start += CHUNK) await models.OpenDelivery.deleteMany({ _id: { $in: ids.slice(start, start + CHUNK) } });
    },
    async reopen(id, o) {
      const doc = { _id: id, dueAt: o.dueAt, at: new Date(), ...(o.job ? { job: o.job } : {}) };
      try {
        await models.OpenDelivery.collection.insertOne(doc as never);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        await models.OpenDelivery.replaceOne({ _id: id }, doc);
      }
    },
  };
}
