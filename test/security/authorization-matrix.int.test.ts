/**
 * The authorization matrix (issue 11): every button payload prefix the flows accept (read from
 * the flows registry, so a new prefix without a row here fails) and every command, sent through
 * the real app (real database, Redis, BullMQ; fake Telegram) by people who must not reach class
 * 6A1's meeting, concern, notice, poll, opinion round and petition: a guardian, a teacher and a
 * board member of 6A2, the principal of another school, an unlinked user, and a 6A1 guardian
 * after /xoadulieu. Each is refused (a reply, never silence), changes nothing in any collection
 * but the turn bookkeeping, leaks none of the objects' names or words, and logs no error.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { eventually } from "../support/eventually.js";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import type { TgUser } from "../support/fake-telegram.js";
import { createLogger } from "../../src/app/logger.js";
import { rolesOf } from "../../src/store/directory.js";
import { queueDepths } from "../../src/jobs/job-metrics.js";
import { TERMINAL_MARKS } from "../../src/store/deliveries.js";
import { actions, commands } from "../../flows/index.js";
import { childrenDigest } from "../../src/features/meetings/port.js";

const T = {
  concern: "Cháu Bình bị bắt nạt ở sân sau giờ ra chơi, gọi tôi 0912345678",
  agenda: "Bàn kế hoạch dã ngoại Ba Vì",
  place: "Phòng họp tầng ba nhà B",
  notice: "Lịch kiểm tra sức khỏe định kỳ lớp 6A1 vào thứ Năm",
  poll: "Chọn ngày đi dã ngoại Ba Vì",
  round: "Góp ý về bữa ăn bán trú",
  opinion: "Đề nghị thêm rau xanh cho các cháu",
  petition: "Đề nghị họp bất thường về an toàn nhà xe",
};
/**
 * How a refused script ends: not found / not allowed / no longer open / not linked, or — after
 * the refusal, when the person typed on — the idle "I did not understand" (nothing was open).
 * An unlinked or erased person is asked to link first. `np-` is the author's preview of the
 * confirm button: it only explains itself. `pa-stats` shows a principal their own school's
 * figures: school B, where nothing was raised (school A's ticket is not counted).
 */
const REFUSAL = /không tìm thấy|không có quyền|không còn dành|chưa liên kết|chưa hiểu tin nhắn|mã liên kết|liên kết với con|nút xem thử|thống kê phản ánh của trường ạ:\nTổng số: 0 /;
/** Names and words no refused person may see. */
const SECRETS = [...Object.values(T), "Nguyễn Văn An", "Trần Thị Bình", "Hoa Nguyen", "0912345678", "6A1"];

type Step = { press: string } | { say: string };
type World = {
  meeting: string; pendingMeeting: string; concern: string; notice: string; poll: string; round: string; petition: string;
  an: string; binh: string; own: string; a1: string; school: string;
};
/**
 * Forged presses per payload prefix, each a short script: the press, then what a person would
 * type next when the press opened a flow. `own` is the attacker's own child (or a made-up id).
 */
const SCRIPTS: Record<string, (w: World) => Step[][]> = {
  "mr-": (w) => [[{ press: `mr-${w.meeting}-${w.an}-y` }], [{ press: `mr-${w.meeting}-${w.an}-n` }, { say: "Cháu ốm" }], [{ press: `mr-${w.meeting}-${w.own}-o` }]],
  "mrall-": (w) => [[{ press: `mrall-${w.meeting}-${childrenDigest([w.an, w.own])}-y` }], [{ press: `mrall-${w.meeting}-${childrenDigest([w.an, w.binh])}-y` }]],
  "mb-": (w) => [[{ press: `mb-${w.pendingMeeting}-1-a` }], [{ press: `mb-${w.pendingMeeting}-1-r` }, { say: "Đổi giờ họp" }]],
  "mq-": (w) => [[{ press: `mq-${w.meeting}-${w.an}` }, { say: "Câu hỏi thử" }, { say: "có" }], [{ press: `mq-${w.meeting}-${w.own}` }, { say: "Câu hỏi thử" }, { say: "có" }]],
  "mo-": (w) => [[{ press: `mo-${w.meeting}-${w.an}` }, { say: "Ý kiến thử" }, { say: "có" }]],
  "mpn-": (w) => [[{ press: `mpn-${w.an}` }, { say: "Lý do thử cho cuộc họp" }]],
  "mp-": (w) => [[{ press: `mp-${w.petition}-${w.an}` }], [{ press: `mp-${w.petition}-${w.own}` }]],
  "pa-": (w) => [
    ...["v", "ack", "res", "esc", "back", "reo", "s5"].map((verb) => [{ press: `pa-${verb}-${w.concern}` }]),
    [{ press: `pa-rep-${w.concern}` }, { say: "Trả lời thử" }],
    [{ press: `pa-add-${w.concern}` }, { say: "Bổ sung thử" }],
    [{ press: `pa-inc-${w.concern}` }, { say: "Sự việc thử" }, { say: "Hôm qua" }, { say: "Không" }, { say: "Không" }, { say: "có" }],
    [{ press: "pa-stats" }],
  ],
  "na-": (w) => [[{ press: `na-${w.notice}-${w.an}` }], [{ press: `na-${w.notice}-${w.own}` }]],
  "np-": (w) => [[{ press: `np-${w.notice}` }]],
  "nr-": (w) => ["refresh", "renotify-1", "cancel", "done"].map((action) => [{ press: `nr-${action}.${w.notice}` }]),
  "pv-": (w) => [[{ press: `pv-${w.poll}-0-0` }], [{ press: `pv-${w.poll}-1-1` }]],
  "pu-": (w) => [[{ press: `pu-${w.poll}-0-0` }]],
  "og-": (w) => [[{ press: `og-${w.round}` }, { say: "Ý kiến thử về bữa ăn" }, { say: "có" }]],
  "bd-": (w) => [[{ press: `bd-${w.a1}` }, { say: "1, 2, 3" }, { say: "1" }, { say: "1" }, { say: "Ghi nhận" }], [{ press: `bd-${w.own}` }]],
  "bs-": (w) => [[{ press: `bs-${w.school}` }, { say: "1, 2" }, { say: "1" }, { say: "Ghi nhận" }], [{ press: `bs-${w.own}` }]],
};

/**
 * Collections a refused turn may still write (its own inbound record, turn, conversation
 * position), and the outbox's index of unfinished deliveries, which the reconciler prunes.
 */
const BOOKKEEPING = new Set(["processed_events", "turns", "conversations", "open_deliveries"]);

describe("authorization matrix", () => {
  let t: TestApp;
  let world: World;
  const logLines: Array<{ level: number; msg: string }> = [];
  const users = {
    guardianOfOtherClass: { id: 9301, first_name: "Khoa's dad" },
    teacherOfOtherClass: { id: 9002, first_name: "Hà" },
    boardOfOtherClass: { id: 9401, first_name: "Tuấn" },
    principalOfOtherSchool: { id: 9501, first_name: "Quang" },
    unlinked: { id: 9601, first_name: "Lạ" },
    guardianAfterErasure: { id: 9102, first_name: "An's dad" },
  } satisfies Record<string, TgUser>;

  beforeAll(async () => {
    const sink = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(l)); done(); } });
    t = await startTestApp("authz-matrix", { logger: createLogger("error", sink) });
    world = await seedWorld(t);
    // The 6A1 guardian who erases: after this, their old buttons are the forged presses below.
    const anDad = users.guardianAfterErasure;
    expect(await t.say(anDad, "/xoadulieu")).toMatch(/xóa toàn bộ dữ liệu/);
    expect(await t.press(anDad, t.button(anDad, /Xóa dữ liệu của tôi/))).toMatch(/hoàn tất/);
    await settle();
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
  });

  it("every button payload prefix in the flows has a row in this matrix", () => {
    expect(actions.map((a) => a.prefix).sort()).toEqual(Object.keys(SCRIPTS).sort());
  });

  for (const role of Object.keys(users) as (keyof typeof users)[]) {
    it(`${role}: every forged press and every command is refused, leaks nothing, changes nothing, logs no error`, async () => {
      const user = users[role];
      t.telegram.knownChat(user.id);
      // Some earlier bot message with a keyboard, to press the forged data on.
      await fetch(`${t.telegram.apiRoot}/bot${t.telegram.token}/sendMessage`, { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ chat_id: user.id, text: "menu", reply_markup: { inline_keyboard: [[{ text: "menu", callback_data: "menu" }]] } }) });
      const before = await snapshot(user.id);
      const errorsBefore = logLines.filter((l) => l.level >= 50).length;
      const transcript: string[] = [];
      const silent: string[] = [];
      const accepted: string[] = [];
      for (const [prefix, scripts] of Object.entries(SCRIPTS)) {
        for (const script of scripts(world)) {
          let last = "";
          for (const step of script) {
            last = "press" in step ? await t.press(user, step.press) : await t.say(user, step.say);
            transcript.push(`${"press" in step ? step.press : step.say} → ${last}`);
            if (!last.trim()) silent.push(`${prefix}: ${"press" in step ? step.press : step.say}`);
          }
          if (!REFUSAL.test(last)) accepted.push(`${script.map((step) => ("press" in step ? step.press : step.say)).join(" / ")} → ${last}`);
          if (script.some((step) => "say" in step)) await t.say(user, "/huy");
        }
      }
      for (const command of Object.keys(commands)) {
        const reply = await t.say(user, `/${command}`);
        transcript.push(`/${command} → ${reply}`);
        if (!reply.trim()) silent.push(`/${command}`);
      }
      await settle();
      const all = transcript.join("\n");
      if (process.env.AUTHZ_TRANSCRIPT) console.log(`TRANSCRIPT ${role}\n${all}`);
      expect(silent, "presses or commands answered with silence").toEqual([]);
      expect(accepted, "scripts that did not end in a refusal").toEqual([]);
      for (const secret of SECRETS) expect(all.includes(secret), `${role} saw "${secret}":\n${all}`).toBe(false);
      const after = await snapshot(user.id);
      const changed = Object.keys({ ...before, ...after }).filter((name) => after[name] !== before[name])
        // /quantri gives a teacher or principal a sign-in link to their own school's console.
        .filter((name) => !(name === "console_links" && (role === "teacherOfOtherClass" || role === "principalOfOtherSchool")));
      expect(changed, `${role} changed state:\n${all}`).toEqual([]);
      expect(logLines.filter((l) => l.level >= 50).slice(errorsBefore).map((l) => l.msg)).toEqual([]);
    }, 600_000);
  }

  it("control: the same presses by the people they belong to do change state and show the objects (the checks above can fail)", async () => {
    const anMom = { id: 9101, first_name: "Hoa" }, teacher = { id: 9001, first_name: "Lan" };
    const before = await snapshot();
    const rsvp = await t.press(anMom, `mr-${world.meeting}-${world.an}-y`);
    await settle();
    const after = await snapshot();
    expect(Object.keys(after).filter((name) => after[name] !== before[name])).toContain("meeting_rsvps");
    expect(rsvp).toContain("Nguyễn Văn An");
    expect(await t.press(teacher, `pa-v-${world.concern}`)).toContain(T.concern);
    // The class board: its teacher gets past the check (6A1 has too few linked guardians left to record one).
    expect(await t.press(teacher, `bd-${world.a1}`)).toMatch(/lớp 6A1 mới có 2 phụ huynh liên kết/);
    // The school board: its principal's menu carries the press, which gets past the check (no class board recorded yet to choose from).
    const principal = { id: 9003, first_name: "Minh" };
    await t.say(principal, "/menu");
    expect(t.button(principal, /^Ban đại diện trường$/)).toBe(`bs-${world.school}`);
    expect(await t.press(principal, `bs-${world.school}`)).toMatch(/năm học 2026-2027 mới có 0 phụ huynh là Trưởng ban/);
  }, 120_000);

  /** Every collection's documents (bookkeeping aside), hashed; `actor`'s own chat's remembered buttons are bookkeeping too. */
  async function snapshot(actor?: number): Promise<Record<string, string>> {
    const db = t.app.db.conn.db!;
    const out: Record<string, string> = {};
    for (const name of (await db.listCollections().toArray()).map((c) => c.name).sort()) {
      if (BOOKKEEPING.has(name)) continue;
      let docs = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
      // The facts of replies sent in a turn (`turn:<event>`) are the turn's bookkeeping too.
      if (name === "delivery_marks") docs = docs.filter((d) => !String(d.group).startsWith("turn:"));
      // The buttons of the bot's last answer to the person acting (read back when they type a
      // number) change with every answer; anybody else's must not.
      if (name === "zalo_keyboards" && actor !== undefined) docs = docs.filter((d) => !String(d._id).endsWith(`:${actor}`));
      out[name] = `${docs.length}:${createHash("sha256").update(JSON.stringify(docs)).digest("hex")}`;
    }
    return out;
  }

  /** Waits until every fan-out has been sent (a terminal mark per delivery) and no job is waiting or running. */
  async function settle(): Promise<void> {
    const m = t.app.db.models;
    await eventually(async () => {
      const ended = new Set((await m.DeliveryMark.distinct("delivery", { kind: { $in: [...TERMINAL_MARKS] } })).map(String));
      if ((await m.Delivery.find({}).select({ _id: 1 }).lean()).some((d) => !ended.has(d._id))) return false;
      return (await queueDepths(t.app.queues)).every((d) => (d.state !== "waiting" && d.state !== "active") || d.count === 0);
    }, { timeoutMs: 60_000, message: "fan-outs did not settle" });
    await t.app.flushKeyboards(); // and the buttons they carried are remembered
  }
});

/**
 * School A: 6A1 (An, Bình; An's mother and father; the homeroom teacher; a board head; the
 * principal) and 6A2 (Khoa; his father; his teacher; a board head). School B: its principal.
 * Class 6A1's objects are created through the services, as their owners would.
 */
async function seedWorld(t: TestApp): Promise<World> {
  const m = t.app.db.models;
  const s = t.app.services;
  const account = t.app.telegram!.account;
  const identity = async (userId: number, displayName: string) => {
    t.telegram.knownChat(userId);
    return (await m.ChannelIdentity.create({ channel: "telegram", account, externalUserId: String(userId), chatId: String(userId), locale: "vi", displayName }))._id;
  };
  const actor = async (identityId: string) => ({ identityId, roles: await rolesOf(m, identityId) });

  const school = await m.School.create({ name: "THCS Nguyễn Du", slug: `nd-${Date.now()}`, authorityContact: "Phòng GD&ĐT — vp@pgd.example" });
  const other = await m.School.create({ name: "THCS Lê Lợi", slug: `ll-${Date.now()}` });
  const year = await m.SchoolYear.create({ schoolId: school._id, name: "2026-2027" });
  const yearB = await m.SchoolYear.create({ schoolId: other._id, name: "2026-2027" });
  const a1 = await m.ClassGroup.create({ schoolId: school._id, yearId: year._id, name: "6A1", grade: 6 });
  const a2 = await m.ClassGroup.create({ schoolId: school._id, yearId: year._id, name: "6A2", grade: 6 });
  const b1 = await m.ClassGroup.create({ schoolId: other._id, yearId: yearB._id, name: "7B1", grade: 7 });
  const student = (schoolId: string, classGroupId: string, fullName: string, code: string) => m.Student.create({ schoolId, classGroupId, fullName, studentCode: code });
  const an = await student(school._id, a1._id, "Nguyễn Văn An", "S1");
  const binh = await student(school._id, a1._id, "Trần Thị Bình", "S2");
  const khoa = await student(school._id, a2._id, "Hoàng Anh Khoa", "S3");
  const dung = await student(other._id, b1._id, "Lý Thị Dung", "S4");
  const staff = async (identityId: string, schoolId: string, fullName: string, role: string, classGroupId = "") => {
    const st = await m.Staff.create({ schoolId, fullName, title: "Cô" });
    await m.StaffRole.create({ identityId, staffId: st._id, schoolId, role, classGroupId });
  };
  const guardian = (identityId: string, studentId: string, schoolId: string) => m.GuardianLink.create({ identityId, studentId, schoolId });

  const teacherA = await identity(9001, "Cô Lan");
  await staff(teacherA, school._id, "Nguyễn Thị Lan", "homeroom-teacher", a1._id);
  await staff(await identity(9003, "Thầy Minh"), school._id, "Trần Văn Minh", "principal");
  const anMom = await identity(9101, "Hoa Nguyen 0912345678");
  const anDad = await identity(9102, "An's dad");
  const binhMom = await identity(9201, "Thu Tran");
  await guardian(anMom, an._id, school._id);
  await guardian(anDad, an._id, school._id);
  await guardian(binhMom, binh._id, school._id);
  // 6A2 and school B.
  await staff(await identity(9002, "Cô Hà"), school._id, "Bùi Thu Hà", "homeroom-teacher", a2._id);
  await guardian(await identity(9301, "Khoa's dad"), khoa._id, school._id);
  const boardB = await identity(9401, "Tuấn");
  await guardian(boardB, khoa._id, school._id);
  await m.BoardMembership.create({ identityId: boardB, schoolId: school._id, scope: "class", classGroupId: a2._id, position: "head", studentId: khoa._id });
  await staff(await identity(9501, "Thầy Quang"), other._id, "Phạm Văn Quang", "principal");
  await guardian(await identity(9502, "Dung's mom"), dung._id, other._id);

  // Class 6A1's objects.
  const inDays = (d: number) => new Date(Date.now() + d * 86_400_000);
  const teacher = await actor(teacherA);
  const meeting = await s.meetings.create(teacher, { schoolId: school._id, scope: { kind: "class", classGroupId: a1._id }, kind: "start-year", startsAt: inDays(10), place: T.place, agenda: T.agenda }, "seed-meeting");
  if (meeting.status !== "published") throw new Error(`meeting: ${meeting.status}`);
  // With a 6A1 board head, the next meeting waits for the board's agreement.
  await m.BoardMembership.create({ identityId: binhMom, schoolId: school._id, scope: "class", classGroupId: a1._id, position: "head", studentId: binh._id });
  const pending = await s.meetings.create(await actor(teacherA), { schoolId: school._id, scope: { kind: "class", classGroupId: a1._id }, kind: "other", startsAt: inDays(12), place: T.place, agenda: T.agenda }, "seed-meeting-2");
  if (pending.status !== "sent-to-board") throw new Error(`pending meeting: ${pending.status}`);
  const concern = await s.concerns.create(await actor(anMom), { studentId: an._id, category: "study", text: T.concern }, "seed-concern");
  if (concern.status !== "created") throw new Error(`concern: ${concern.status}`);
  const notice = await s.broadcast.create(teacher, { schoolId: school._id, scope: { kind: "class", classGroupId: a1._id }, kind: "ack", text: T.notice, urgent: false, deadline: inDays(3) }, "seed-notice");
  if (!("notice" in notice)) throw new Error(`notice: ${JSON.stringify(notice)}`);
  const scope = { kind: "class" as const, schoolId: school._id, classGroupId: a1._id, className: "6A1" };
  const poll = await s.polls.createPoll(teacher, { scope, question: T.poll, options: ["Thứ Bảy", "Chủ Nhật"], multiple: false, anonymity: "visible", closesAt: inDays(5) }, "seed-poll");
  if (!("poll" in poll)) throw new Error(`poll: ${JSON.stringify(poll)}`);
  const round = await s.polls.openRound(teacher, { scope, topic: T.round, closesAt: inDays(5) }, "seed-round");
  if (!("round" in round)) throw new Error(`round: ${JSON.stringify(round)}`);
  await s.polls.submitOpinion(await actor(anMom), { roundId: round.round.id, studentId: an._id, text: T.opinion, anonymous: false, submission: "seedopinion01" });
  const petition = await s.meetings.startPetition(await actor(anMom), an._id, T.petition, "seed-petition");
  if (!("petitionId" in petition)) throw new Error(`petition: ${JSON.stringify(petition)}`);
  return {
    meeting: meeting.meeting.id, pendingMeeting: pending.meeting.id, concern: concern.ticket.id, notice: notice.notice.id,
    poll: poll.poll.id, round: round.round.id, petition: petition.petitionId, an: an._id, binh: binh._id, own: khoa._id, a1: a1._id, school: school._id,
  };
}
