/**
 * Problems found in a scenario file, and the one message format for them:
 *   scenarios/x.yaml: targetGroups[0].HealthCheck.IntervalSeconds: expected 5..300, got 2
 * Both schema (zod) issues and reference checks end up here, so every bad scenario reads the same way.
 */
import type { z } from "zod";
import { AlbDoctorError } from "../domain/errors.ts";

export type ProblemPath = (string | number)[];

export interface ScenarioProblem {
  path: ProblemPath;
  message: string;
}

/** `targetGroups[0].HealthCheck.IntervalSeconds`; keys that are not plain names are quoted: `Attributes["a.b"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else if (typeof p === "string" && /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out || "(top level)";
}

/** A value as the message shows it: strings quoted, long values cut. */
export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  const s = typeof v === "string" ? JSON.stringify(v) : String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  int: "an integer",
};

/** Turn a zod issue into a problem with an "expected ..., got ..." message. */
export function problemFromZod(issue: z.core.$ZodIssue): ScenarioProblem[] {
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((k) => ({ path: [...path, k], message: "unknown key" }));
    case "invalid_type":
      if (input === undefined)
        return [{ path, message: `required: expected ${TYPE_WORDS[issue.expected] ?? issue.expected}` }];
      return [
        {
          path,
          message: `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, got ${describeValue(input)}`,
        },
      ];
    case "invalid_value":
      return [
        {
          path,
          message: `expected one of ${issue.values.map((v) => String(v)).join(", ")}, got ${describeValue(input)}`,
        },
      ];
    case "too_small":
      if (issue.origin === "array")
        return [{ path, message: `expected at least ${String(issue.minimum)} entries` }];
      return [{ path, message: `expected at least ${String(issue.minimum)}, got ${describeValue(input)}` }];
    case "too_big":
      return [{ path, message: `expected at most ${String(issue.maximum)}, got ${describeValue(input)}` }];
    case "invalid_format":
      return [{ path, message: `${issue.message}, got ${describeValue(input)}` }];
    case "invalid_union":
      return [{ path, message: `expected ${unionWords(issue)}, got ${describeValue(input)}` }];
    case "custom":
      return [{ path, message: issue.message }];
    default:
      return [
        { path, message: `${issue.message}${input !== undefined ? `, got ${describeValue(input)}` : ""}` },
      ];
  }
}

function unionWords(issue: z.core.$ZodIssueInvalidUnion): string {
  const words = new Set<string>();
  for (const branch of issue.errors) {
    for (const e of branch) {
      if (e.path.length > 0) continue;
      if (e.code === "invalid_type") words.add(TYPE_WORDS[e.expected] ?? e.expected);
      if (e.code === "invalid_value") words.add(`one of ${e.values.map(String).join(", ")}`);
    }
  }
  return words.size ? [...words].join(" or ") : "a different value";
}

/** Collects problems while deriving the World; throws them together. */
export class Problems {
  readonly list: ScenarioProblem[] = [];

  add(path: ProblemPath, message: string): void {
    this.list.push({ path, message });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  throwIfAny(source: string): void {
    if (!this.empty) throw scenarioError(source, this.list);
  }
}

const MAX_LISTED = 20;

/** One line per problem, each naming the file and the path; the first line alone reads as the summary. */
export function scenarioError(source: string, problems: ScenarioProblem[]): AlbDoctorError {
  const lines = problems.slice(0, MAX_LISTED).map((p) => `${source}: ${formatPath(p.path)}: ${p.message}`);
  if (problems.length > MAX_LISTED)
    lines.push(`${source}: ... and ${problems.length - MAX_LISTED} more problems`);
  return new AlbDoctorError("scenario", lines.join("\n"), {
    details: {
      file: source,
      problems: problems.map((p) => ({ path: formatPath(p.path), message: p.message })),
    },
  });
}
