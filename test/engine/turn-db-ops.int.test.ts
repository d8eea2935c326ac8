/**
 * How many database commands a chat turn costs, through the real app (fake Telegram → polling
 * intake → receiver → engine → flows → replies): a guardian's `/menu`, the guardian pressing one
 * of its buttons, a homeroom teacher's `/hop`. The app's connection monitors its commands
 * (`monitorCommands` in the URI); the test waits on a connection of its own, so its polling is
 * not counted. The bounds are what the turn costs today: a regression fails here.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import mongoose, { type Connection } from "mongoose";
import type { CommandStartedEvent } from "mongodb";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { eventually } from "../support/eventually.js";
import type { TgUser } from "../support/fake-telegram.js";
import { seedMeetingWorld, type MeetingWorld } from "../meetings/support/meeting-fixture.js";
import { telegramEventId } from "../../src/channels/telegram/parse-update.js";
import { decideTransition } from "../../src/store/facts.js";
import { homeroomEntity } from "../../src/store/versioned-facts.js";
import { ROLES_TTL_MS } from "../../src/store/directory.js";

const guardian: TgUser = { id: 7610001, first_name: "Hoa", language_code: "vi" };
const teacher: TgUser = { id: 7610002, first_name: "Lan", language_code: "vi" };
const stranger: TgUser = { id: 7610003, first_name: "Minh", language_code: "vi" };
const guardian2: TgUser = { id: 7610004, first_name: "Nam", language_code: "vi" };

/**
 * Upper bounds on the commands of one turn (after the person's first turn). Before this round
 * (2026-12-02) each of the first three cost 18 and /trogiup 10. Since a reply with buttons is
 * remembered as the chat's last buttons (a typed "1" presses one), the first three cost one more.
 */
const BOUND = { menu: 14, press: 14, hop: 15, help: 9 };

describe("database commands per chat turn", { timeout: 120_000 }, () => {
  let t: TestApp;
  let w: MeetingWorld;
  let watcher: Connection;
  const commands: string[] = [];

  beforeAll(async () => {
    const uri = `${process.env.MONGODB_URI!.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]*\/)[^?]*/, "$1")}`;
    const monitored = `${uri}${uri.includes("?") ? "&" : "?"}monitorCommands=true`;
    // ROLE=web: no workers or schedulers whose background commands would mix with the turn's.
    t = await startTestApp("turn-db-ops", { env: { MONGODB_URI: monitored, ROLE: "web" } });
    const client = t.app.db.conn.getClient();
    client.on("commandStarted", (e: CommandStartedEvent) => void commands.push(`${e.commandName} ${String(e.command[e.commandName])}`));
    w = await seedMeetingWorld(t.app.db.models, { account: t.telegram.token.split(":")[0]!, withBoardHead: true, userIds: { anMom: String(guardian.id), anDad: String(guardian2.id), teacher: String(teacher.id) } });
    // The class's homeroom assignment as the console makes it: rolesOf checks it on each turn.
    const staffId = (await t.app.db.models.StaffRole.findOne({ identityId: w.identities.teacher }).lean())!.staffId;
    await decideTransition(t.app.db.models, { entity: homeroomEntity(w.classId), slot: "v0", kind: "assigned", at: new Date(), data: { staffId, identityId: w.identities.teacher } });
    watcher = await mongoose.createConnection(uri, { dbName: t.app.config.mongo.db, autoIndex: false, autoCreate: false }).asPromise();
  }, 60_000);
  afterAll(async () => {
    await watcher?.close();
    await t?.stop();
  });

  /** Pushes an update and returns the commands the app ran until its turn was completed. */
  async function turn(push: () => { update_id: number }): Promise<string[]> {
    const since = commands.length;
    const id = telegramEventId(push(), t.app.telegram!.account);
    // `complete` is the turn's last step: the event done, then its turn's reply texts dropped.
    await eventually(async () => {
      const [event, done] = await Promise.all([
        watcher.collection("processed_events").findOne({ _id: id as never }),
        watcher.collection("turns").findOne({ _id: id as never, outbound: "[]" }),
      ]);
      return event?.status === "done" && done !== null;
    }, { timeoutMs: 20_000, message: `update ${id} not handled` });
    return commands.slice(since);
  }

  it("keeps a guardian's /menu, a button press, a teacher's /hop and a stranger's /trogiup within their bounds", async () => {
    const counts: Record<string, number> = {};
    /**
     * A turn measured after the person's first turn (begun at `since`), which computed their roles.
     * Ended within ROLES_TTL_MS of that, the directory must still hold what the grants name; a
     * machine too loaded for that may read it again (at most 3 reads by _id).
     */
    const measure = async (kind: keyof typeof BOUND, since: number, push: () => { update_id: number }) => {
      const ran = await turn(push);
      console.info(`${kind}: ${ran.length} commands\n  ${ran.join("\n  ")}`);
      counts[kind] = ran.length;
      const within = Date.now() - since < ROLES_TTL_MS;
      if (!within) console.info(`${kind}: slower than ROLES_TTL_MS after the first turn; the roles may be read again`);
      expect(ran.length, kind).toBeLessThanOrEqual(BOUND[kind] + (within ? 0 : 3));
    };
    const first = async (user: TgUser, text: string) => {
      const since = Date.now();
      await turn(() => t.telegram.userMessage(user, text));
      return since;
    };
    // The school's time zone, kept a minute per process, is read on the first linked turn.
    await first(guardian, "/trogiup");

    let since = await first(guardian, "/menu");
    await measure("menu", since, () => t.telegram.userMessage(guardian, "/menu"));
    expect(t.telegram.sent({ chatId: guardian.id }).at(-1)!.params.reply_markup).toBeDefined();
    since = await first(guardian2, "/menu");
    await measure("press", since, () => t.telegram.callbackQuery(guardian2, t.button(guardian2, /Ngôn ngữ|Language/)));
    since = await first(teacher, "/menu");
    await measure("hop", since, () => t.telegram.userMessage(teacher, "/hop"));
    expect(String(t.telegram.sent({ chatId: teacher.id }).at(-1)!.params.text)).toMatch(/họp/i);
    // What bench/inbound.ts sends: someone not linked asking for help.
    since = await first(stranger, "/trogiup");
    await measure("help", since, () => t.telegram.userMessage(stranger, "/trogiup"));
    console.info(JSON.stringify(counts));
  });
});
