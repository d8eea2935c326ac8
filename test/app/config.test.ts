import { describe, expect, it } from "vitest";
import { ConfigError, databaseOfUri, loadConfig } from "../../src/app/config.js";

// A messenger token: the real bot's database (the playground would add "-playground").
const base = { REDIS_URL: "redis://127.0.0.1:6379", TELEGRAM_BOT_TOKEN: "1:x" };
const db = (env: Record<string, string>) => loadConfig({ ...base, ...env }).mongo.db;

describe("the database name", () => {
  it("comes from MONGODB_URI's path when it has one", () => {
    expect(db({ MONGODB_URI: "mongodb://127.0.0.1:27017/myschool" })).toBe("myschool");
    expect(db({ MONGODB_URI: "mongodb://u:p%2F@a:1,b:2/district-7?replicaSet=rs0&authSource=admin" })).toBe("district-7");
    expect(db({ MONGODB_URI: "mongodb+srv://cluster0.example.net/tr%C6%B0%E1%BB%9Dng?retryWrites=true" })).toBe("trường");
  });

  it("is MONGODB_DB when the URI has no path, else so-lien-lac", () => {
    expect(db({ MONGODB_URI: "mongodb://127.0.0.1:27017/", MONGODB_DB: "pilot" })).toBe("pilot");
    expect(db({ MONGODB_URI: "mongodb://127.0.0.1:27017/?directConnection=true", MONGODB_DB: "pilot" })).toBe("pilot");
    expect(db({ MONGODB_URI: "mongodb://127.0.0.1:27017" })).toBe("so-lien-lac");
    expect(db({ MONGODB_URI: "mongodb://127.0.0.1:27017/", MONGODB_DB: "" })).toBe("so-lien-lac");
  });

  it("agrees when both name the same database, and refuses two different names", () => {
    expect(db({ MONGODB_URI: "mongodb://h/myschool", MONGODB_DB: "myschool" })).toBe("myschool");
    expect(() => db({ MONGODB_URI: "mongodb://h/myschool", MONGODB_DB: "so-lien-lac" })).toThrow(ConfigError);
  });

  it("gives the playground a database of its own beside the named one", () => {
    expect(loadConfig({ REDIS_URL: "redis://h", MONGODB_URI: "mongodb://h/myschool" }).mongo.db).toBe("myschool-playground");
    expect(loadConfig({ REDIS_URL: "redis://h", MONGODB_URI: "mongodb://h/myschool-demo" }).mongo.db).toBe("myschool-demo");
  });

  it("reads only the path, not credentials or options", () => {
    expect(databaseOfUri("mongodb://user:pa%40ss@h:27017/?authSource=admin")).toBeUndefined();
    expect(databaseOfUri("mongodb://h:27017")).toBeUndefined();
  });
});
