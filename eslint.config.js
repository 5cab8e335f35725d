import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The layers, low to high. A module may import its own layer and the ones below it, never one above:
 * domain; the core and its adapters; remediation; approvals; the Slack side; the listeners; the entry points.
 * The simulator is a test double of AWS: only the CLI's --scenario/sim paths (lazily) and tests load it.
 */
const LAYERS = [
  { name: "domain", files: ["src/domain/**"] },
  {
    name: "core",
    files: [
      "src/diagnose/**",
      "src/logs/**",
      "src/aws/**",
      "src/accounts/**",
      "src/store/**",
      "src/services/**",
      "src/workers/**",
      "src/config.ts",
    ],
    imports: ["diagnose", "logs", "aws", "accounts", "store", "services", "workers", "config.ts"],
  },
  { name: "remediate", files: ["src/remediate/**"], imports: ["remediate"] },
  { name: "approvals", files: ["src/approvals/**"], imports: ["approvals"] },
  { name: "slack", files: ["src/slack/**", "src/triage/**"], imports: ["slack", "triage"] },
  { name: "commands", files: ["commands/**"], imports: ["commands"] },
];
const ENTRY = ["cli", "main.ts", "bot.ts", "demo.ts", "process-guards.ts"];

/** Import patterns that point at `names` (a folder or a file of src/, or commands/). */
const pointingAt = (names) => names.map((n) => (n.endsWith(".ts") ? `**/${n}` : `**/${n}/**`));

const layerRules = LAYERS.map((layer, i) => {
  const above = LAYERS.slice(i + 1).flatMap((l) => l.imports ?? []);
  return {
    files: layer.files.map((f) => (f.endsWith(".ts") ? f : `${f}/*.ts`)),
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: pointingAt([...above, ...ENTRY, "sim"]),
              message: `the ${layer.name} layer may not import a layer above it (see docs/architecture.md)`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "warn",
    },
  },
  ...layerRules,
  {
    files: ["bin/**/*.js", "docker/**/*.mjs"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        fetch: "readonly",
        URL: "readonly",
        URLSearchParams: "readonly",
        AbortSignal: "readonly",
      },
    },
  },
);
