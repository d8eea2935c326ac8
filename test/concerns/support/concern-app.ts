/**
 * The real app for concern end-to-end tests, through the fake Telegram Bot API: started once
 * for the file with its clock, the concern world seeded with the file's Telegram users, and the
 * teachers and the principal having opened their chat with the bot (a bot can only write to
 * people who have); stopped after the file's own `afterAll` hooks. `t` and `world` are filled
 * in before the tests run.
 *
 * @example
 * const { t, world, step, expectMessage } = useConcernApp("concern-e2e", clock, { teacher, otherTeacher, principal, anMom, binhMom });
 */
import { afterAll, beforeAll } from "vitest";
import { startTestApp, type TestApp } from "../../support/app-harness.js";
import type { FakeClock } from "../../support/fakes.js";
import type { TgUser } from "../../support/fake-telegram.js";
import { telegramSteps } from "../../support/telegram-steps.js";
import { seedConcernWorld, type ConcernWorld, type Who } from "./concern-fixture.js";

export function useConcernApp(label: string, clock: FakeClock, users: Record<Who, TgUser>) {
  const t = {} as TestApp;
  const world = {} as ConcernWorld;
  const steps = telegramSteps(() => t);
  beforeAll(async () => {
    Object.assign(t, await startTestApp(label, { clock }));
    const account = t.telegram.token.split(":")[0]!;
    const userIds = Object.fromEntries(Object.entries(users).map(([who, u]) => [who, String(u.id)])) as Record<Who, string>;
    Object.assign(world, await seedConcernWorld(t.app.db.models, { account, userIds }));
    for (const u of [users.teacher, users.otherTeacher, users.principal]) await steps.step(u, { say: "/phananh" }, /không có phản ánh nào đang mở/);
  });
  afterAll(async () => { await t.stop?.(); });
  return { t, world, ...steps };
}
