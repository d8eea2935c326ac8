// Lint keeps the architecture honest: each infrastructure library stays inside the one
// folder that adapts it (see STYLE.md). Import cycles are caught by madge in `npm run lint`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Flat config keeps only the last value of a rule per file, so each folder gets one combined
// list of what it must not import.
const confined = { grammy: "src/channels/telegram", "@grammyjs": "src/channels/telegram", mongoose: "src/store", bullmq: "src/jobs" };
const homes = [...new Set(Object.values(confined))];
const restrictFor = (folder) => ({
  patterns: [
    ...Object.entries(confined)
      .filter(([, home]) => home !== folder)
      .map(([lib, home]) => ({ group: [lib, `${lib}/*`], message: `${lib} belongs in ${home} only.` })),
    ...(folder === "src/domain" ? [{ group: ["../*"], message: "domain imports nothing else." }] : []),
    ...(folder === "src/engine"
      ? [{ group: ["../features", "../features/**", "../../flows", "../../flows/**"], message: "the engine names no feature: features and flows depend on the engine, never the reverse." }]
      : []),
  ],
});
const boundaryRules = [
  {
    files: ["src/**/*.ts", "flows/**/*.ts"],
    ignores: homes.map((h) => `${h}/**`),
    rules: { "no-restricted-imports": ["error", restrictFor("")] },
  },
  ...homes.map((home) => ({ files: [`${home}/**/*.ts`], rules: { "no-restricted-imports": ["error", restrictFor(home)] } })),
  { files: ["src/domain/**/*.ts"], rules: { "no-restricted-imports": ["error", restrictFor("src/domain")] } },
  { files: ["src/engine/**/*.ts"], rules: { "no-restricted-imports": ["error", restrictFor("src/engine")] } },
];

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", ".cache/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["src/**/*.ts", "flows/**/*.ts"],
    rules: {
      "no-restricted-syntax": ["error", {
        selector: "MemberExpression[object.name='process'][property.name='env']",
        message: "Read configuration through src/app/config.ts only.",
      }],
    },
  },
  { files: ["src/app/config.ts"], rules: { "no-restricted-syntax": "off" } },
  ...boundaryRules,
);
