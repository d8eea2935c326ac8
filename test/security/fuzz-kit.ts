/**
 * Seeded random and mutated messenger updates for the fuzz tests. Every case is a pure function
 * of the seed, so a failure names its seed and case number and reproduces exactly.
 */

/** mulberry32: small, fast, seeded. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

/** Awkward strings: emoji, combining marks, NUL, RTL, lone surrogates, huge texts, near-commands. */
export function nastyString(r: Rand): string {
  const parts = [
    "👨‍👩‍👧‍👦", "🇻🇳", "e\u0301\u0302\u0303\u0323", "Z̸̢̛̪̈́a̴l̷g̵o̶", "\u0000", "\u0000\u0001\u001f", "\u202e", "\ud800", "\udfff",
    "/start", "/start K7M2Q9XD4RT8B", "/lienket@", "/x@bot ", "start", "huy", "#mq-1", "#", "1", "  2. ", "LK abc",
    "Kính gửi Quý phụ huynh", "$where", "{\"$gt\":1}", "__proto__", "constructor", "\\", "\"", "\n\r\t", " ", "",
  ];
  const size = pick(r, [1, 2, 5, 40, 400]);
  let s = "";
  for (let i = 0; i < size; i++) s += pick(r, parts);
  if (r() < 0.05) s += "x".repeat(pick(r, [4_096, 70_000, 300_000]));
  if (r() < 0.03) s += "e\u0301".repeat(50_000);
  return s;
}

/** A nested value `depth` levels deep (arrays or objects). */
export function deep(depth: number, asArray: boolean): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

/** A value of a random (often wrong) type. */
export function randomValue(r: Rand): unknown {
  switch (int(r, 14)) {
    case 0: return null;
    case 1: return true;
    case 2: return pick(r, [0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, -1e-308, Number.MAX_SAFE_INTEGER + 2]);
    case 3: return int(r, 1_000_000_000);
    case 4: return nastyString(r);
    case 5: return [];
    case 6: return {};
    case 7: return [nastyString(r), int(r, 9)];
    case 8: return { id: nastyString(r) };
    case 9: return deep(pick(r, [10, 200, 2_000]), r() < 0.5);
    case 10: return "12345678901234567891";
    case 11: return String(int(r, 1e9));
    case 12: return { file_id: nastyString(r), url: pick(r, ["https://x.test/a.jpg", "javascript:alert(1)", ""]) };
    default: return undefined;
  }
}

/** Applies 1–4 mutations at random paths: drop a field, retype it, or add a junk field. */
export function mutate(r: Rand, value: unknown): unknown {
  const root = structuredClone(value) as Record<string, unknown>;
  const rounds = 1 + int(r, 4);
  for (let k = 0; k < rounds; k++) {
    // Walk down to a random object.
    let node: Record<string, unknown> = root;
    for (let d = 0; d < 4; d++) {
      const kids = Object.entries(node).filter(([, v]) => typeof v === "object" && v !== null && !Array.isArray(v));
      if (kids.length === 0 || r() < 0.3) break;
      node = pick(r, kids)[1] as Record<string, unknown>;
    }
    const keys = Object.keys(node);
    const op = int(r, 3);
    if (op === 0 && keys.length) delete node[pick(r, keys)];
    else if (op === 1 && keys.length) node[pick(r, keys)] = randomValue(r);
    else node[pick(r, ["junk", "__proto__", "constructor", "text", "id", "$set"])] = randomValue(r);
  }
  return root;
}

const tgUser = (r: Rand) => ({ id: 1_000_000 + int(r, 50), is_bot: false, first_name: nastyString(r), ...(r() < 0.5 ? { language_code: pick(r, ["vi", "en", "xx"]) } : {}) });

/** A plausible Telegram update (before mutation). */
export function telegramUpdate(r: Rand, updateId: number): Record<string, unknown> {
  const from = tgUser(r);
  const chat = r() < 0.8 ? { id: from.id, type: "private" } : { id: -100 - int(r, 5), type: pick(r, ["group", "supergroup"]) };
  const date = 1_700_000_000 + int(r, 1000);
  switch (int(r, 5)) {
    case 0: return { update_id: updateId, message: { message_id: int(r, 1e6), date, from, chat, text: nastyString(r) } };
    case 1: return { update_id: updateId, callback_query: { id: String(int(r, 1e9)), from, data: nastyString(r).slice(0, 64), message: { message_id: 1, date, chat } } };
    case 2: return { update_id: updateId, my_chat_member: { from, chat, date, new_chat_member: { status: pick(r, ["kicked", "member"]) } } };
    case 3: return { update_id: updateId, message: { message_id: 1, date, from, chat, photo: [{ file_id: "a", file_size: 10 }, { file_id: nastyString(r) }], caption: nastyString(r) } };
    default: return { update_id: updateId, message: { message_id: 1, date, from, chat, document: { file_id: "d", file_name: nastyString(r), file_size: int(r, 1e7) } } };
  }
}

/** A plausible Zalo Bot update, flat or wrapped (before mutation). */
export function zaloUpdate(r: Rand, messageId: string): Record<string, unknown> {
  const id = pick(r, ["12345678901234567891", "a1a2a3a4a5a6a7a8a9a0", String(int(r, 1e9))]);
  const message = {
    message_id: messageId, date: Date.now(), from: { id, is_bot: false, display_name: nastyString(r) }, chat: { id, chat_type: pick(r, ["PRIVATE", "GROUP"]) },
    ...(r() < 0.7 ? { text: nastyString(r) } : { photo_url: pick(r, ["https://x.test/p.jpg", nastyString(r)]), caption: nastyString(r) }),
  };
  const event = { event_name: pick(r, ["message.text.received", "message.image.received", "message.sticker.received", nastyString(r)]), message };
  return r() < 0.5 ? event : { ok: true, result: event };
}

/** A plausible Zalo OA webhook event (before mutation). */
export function oaEvent(r: Rand): Record<string, unknown> {
  const user = String(int(r, 1e9)) + "123456789012";
  const event_name = pick(r, ["user_send_text", "user_send_image", "user_send_file", "user_send_link", "follow", "unfollow", "oa_send_text", "user_received_message", "user_send_group_text", "anonymous_send_text"]);
  return {
    app_id: "1", event_name, timestamp: String(Date.now()), oa_id: "579745863508352884",
    sender: { id: user }, recipient: { id: "579745863508352884" }, follower: { id: user }, user_id_by_app: "x",
    message: { msg_id: String(int(r, 1e12)), text: nastyString(r), attachments: [{ type: "image", payload: { url: pick(r, ["https://x.test/f", nastyString(r)]), name: nastyString(r), size: pick(r, ["12", 12, "x"]) } }] },
  };
}

/** A raw body: mostly a JSON update (mutated), sometimes broken or pathological text. */
export function rawBody(r: Rand, update: unknown): string {
  const roll = r();
  const json = JSON.stringify(update) ?? "null";
  if (roll < 0.06) return json.slice(0, int(r, json.length)); // truncated
  if (roll < 0.09) return "[".repeat(20_000) + "]".repeat(20_000); // deep JSON
  if (roll < 0.11) return `{"update_id":1,"message":${"{\"a\":".repeat(5_000)}1${"}".repeat(5_000)}}`;
  if (roll < 0.13) return pick(r, ["", "null", "0", "\"x\"", "[]", "{}", "\u0000", "{\"update_id\":1e999}", "{\"update_id\":-0}", "\ufeff{}"]);
  if (roll < 0.15) return json.replace(/:/, ": \u0000");
  return json;
}
