/**
 * The layers point one way (eslint.config.js says which way) and no module imports itself back through
 * others. Both are checked here so that a broken rule, not only a broken import, fails the suite.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

describe("eslint: the layer rule", () => {
  const eslint = new ESLint({ cwd: ROOT });
  const restricted = async (file: string, from: string) => {
    const [result] = await eslint.lintText(`import type { X } from "${from}";\nexport type Y = X;\n`, {
      filePath: join(ROOT, file),
    });
    return result.messages.filter((m) => m.ruleId === "no-restricted-imports").length > 0;
  };

  it.each([
    // file, import, refused
    ["src/domain/x.ts", "../diagnose/engine.ts", true],
    ["src/diagnose/checks/x.ts", "../../remediate/plan.ts", true],
    ["src/diagnose/checks/x.ts", "../../domain/report.ts", false],
    ["src/logs/x.ts", "../slack/deps.ts", true],
    ["src/aws/collect/x.ts", "../../logs/analyze.ts", false],
    ["src/store/x.ts", "../config.ts", false],
    ["src/config.ts", "./slack/deps.ts", true],
    ["src/remediate/fixes/x.ts", "../../approvals/flow.ts", true],
    ["src/remediate/x.ts", "../aws/clients.ts", false],
    ["src/approvals/x.ts", "../slack/deps.ts", true],
    ["src/approvals/x.ts", "../remediate/offers.ts", false],
    ["src/slack/x.ts", "../../commands/index.ts", true],
    ["src/slack/x.ts", "../approvals/flow.ts", false],
    ["src/triage/x.ts", "../slack/blocks/report.ts", false],
    ["src/slack/x.ts", "../sim/index.ts", true],
    ["src/slack/x.ts", "../bot.ts", true],
    ["commands/alb/x.ts", "../../src/cli/main.ts", true],
    ["commands/alb/x.ts", "../../src/slack/deps.ts", false],
    ["src/cli/x.ts", "../../commands/index.ts", false],
  ])("%s importing %s: refused %s", async (file, from, refused) => {
    expect(await restricted(file, from)).toBe(refused);
  });
});

/** Static imports (`import ... from`, `export ... from`) of the project's own modules, per file. */
function importGraph(dirs: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = join(dir, name);
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (name.endsWith(".ts")) {
        const text = readFileSync(join(ROOT, path), "utf8");
        const targets = [...text.matchAll(/^(?:import|export)[^;]*?from\s*["'](\.[^"']+)["']/gm)].map((m) =>
          normalize(join(dirname(path), m[1])),
        );
        graph.set(normalize(path), targets);
      }
    }
  };
  for (const d of dirs) walk(d);
  return graph;
}

/** One import circle, if any (depth-first search for a back edge). */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (v: string): string[] | undefined => {
    state.set(v, "open");
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (state.get(w) === "open") return [...stack.slice(stack.indexOf(w)), w];
      if (!state.has(w)) {
        const found = visit(w);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(v, "done");
    return undefined;
  };
  for (const v of graph.keys()) {
    if (state.has(v)) continue;
    const found = visit(v);
    if (found) return found;
  }
  return undefined;
}

describe("import circles", () => {
  it("finds a circle when there is one", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(findCycle(graph)).toEqual(["a.ts", "b.ts", "c.ts", "a.ts"]);
    expect(
      findCycle(
        new Map([
          ["a.ts", ["b.ts"]],
          ["b.ts", []],
        ]),
      ),
    ).toBeUndefined();
  });

  it("there is none in src/ and commands/", () => {
    const graph = importGraph(["src", "commands"]);
    expect(graph.size).toBeGreaterThan(100);
    const cycle = findCycle(graph)?.map((f) => relative(ROOT, join(ROOT, f)));
    expect(cycle, cycle?.join(" -> ")).toBeUndefined();
  });
});
