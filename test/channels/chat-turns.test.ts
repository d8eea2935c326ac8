import { describe, expect, it } from "vitest";
import { ChatTurns } from "../../src/channels/telegram/telegram-channel.js";

/** A turn held open until released. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((r) => { release = r; });
  return { release, done };
}

const settled = async (p: Promise<unknown>) => {
  let state = "pending";
  void p.then(() => (state = "done"));
  for (let i = 0; i < 20; i++) await Promise.resolve();
  return state;
};

describe("ChatTurns (long-polling turns)", () => {
  it("runs one chat's turns in order and at most `limit` turns at once", async () => {
    const turns = new ChatTurns(2);
    const log: string[] = [];
    const gates = new Map(["a1", "b1", "c1"].map((k) => [k, gate()]));
    const turn = (name: string) => async () => { log.push(`start ${name}`); await gates.get(name)?.done; log.push(`end ${name}`); };
    turns.add("a", turn("a1"));
    turns.add("a", turn("a2"));
    turns.add("b", turn("b1"));
    turns.add("c", turn("c1"));
    await settled(turns.idle());
    expect(log).toEqual(["start a1", "start b1"]); // a2 waits for a1, c1 for a free slot
    gates.get("a1")!.release();
    await settled(turns.idle());
    // The freed slot goes to c1, which was waiting for one; a2 (after a1) waits for the next.
    expect(log.slice(2)).toEqual(["end a1", "start c1"]);
    gates.get("b1")!.release();
    await settled(turns.idle());
    expect(log.slice(4)).toEqual(["end b1", "start a2", "end a2"]);
    gates.get("c1")!.release();
    await turns.idle();
    expect(log.at(-1)).toBe("end c1");
  });

  it("lets intake go on while one chat piles up behind a slow turn, and stops it at the backlog", async () => {
    const turns = new ChatTurns(2, 4);
    const slow = gate();
    turns.add("a", () => slow.done);
    for (let i = 0; i < 2; i++) turns.add("a", async () => {});
    expect(await settled(turns.room())).toBe("done"); // 3 queued < backlog 4
    turns.add("a", async () => {});
    expect(await settled(turns.room())).toBe("pending"); // 4 queued: no new batch
    slow.release();
    await turns.room();
    await turns.idle();
  });
});
