/**
 * The request mix: path templates with weights, expanded into concrete URIs ({id} numeric ids, {uuid},
 * {hex}, {n} small numbers, {word} search words), and the matching of spec paths (Errors[].Path,
 * SlowPaths[].Path) against requests: a template equal to the spec path, a glob with `*`, or a prefix
 * on a segment boundary (`/v1/reports` matches `/v1/reports/9f1c...` and `/v1/reports?x=1`).
 */
import type { ListenerW } from "../world.ts";
import type { Rng } from "./random.ts";
import { DEFAULT_PATHS, type GenerateSpec, type PathMixEntry } from "./spec.ts";
import { globToRegExp } from "./routing.ts";

export type MixEntry = PathMixEntry;

const WORDS = ["shoes", "invoice", "refund", "laptop", "gift card", "order status", "coffee", "tickets"];

export function expandTemplate(template: string, rng: Rng): string {
  return template.replace(/\{(id|uuid|hex|n|word)\}/g, (_, kind: string) => {
    switch (kind) {
      case "id":
        // Skewed towards a few hot ids, as real traffic is.
        return String(Math.floor(Math.pow(rng.next(), 3) * 99_999) + 1);
      case "uuid":
        return rng.uuid();
      case "hex":
        return rng.hex(8);
      case "n":
        return String(rng.int(1, 20));
      default:
        return encodeURIComponent(rng.pick(WORDS)).replace(/%20/g, "+");
    }
  });
}

export function matchesPath(pattern: string, template: string, concrete: string): boolean {
  if (pattern === template) return true;
  const path = concrete.split("?")[0];
  if (pattern.includes("*")) return globToRegExp(pattern).test(path);
  const base = pattern.split("?")[0].replace(/\/+$/, "");
  return path === pattern || path === base || path.startsWith(`${base}/`);
}

function ruleTemplates(listeners: ListenerW[]): string[] {
  const out: string[] = [];
  for (const l of listeners)
    for (const r of l.Rules)
      for (const c of r.Conditions)
        if (c.Field === "path-pattern")
          for (const v of c.PathPatternConfig?.Values ?? c.Values ?? [])
            out.push(v.replace(/\*$/, "{id}").replace(/\*/g, "x").replace(/\?/g, "x"));
  return out;
}

/** The spec's mix, or the default one plus the paths the listener rules route, plus any path an error or slow path names. */
export function buildPathMix(spec: GenerateSpec, listeners: ListenerW[]): MixEntry[] {
  const mix: MixEntry[] = spec.Paths ? [...spec.Paths] : [...DEFAULT_PATHS];
  if (!spec.Paths) {
    for (const t of ruleTemplates(listeners))
      if (!mix.some((m) => m.Path === t)) mix.push({ Path: t, Method: "GET", Weight: 6 });
  }
  const total = mix.reduce((s, m) => s + m.Weight, 0);
  const named = [...spec.Errors.map((e) => e.Path), ...spec.SlowPaths.map((s) => s.Path)].filter(
    (p): p is string => !!p,
  );
  for (const p of named) {
    const covered = mix.some((m) => matchesPath(p, m.Path, m.Path.replace(/\{[a-z]+\}/g, "1")));
    if (!covered) mix.push({ Path: p.replace(/\*/g, "{id}"), Method: "GET", Weight: total * 0.05 });
  }
  return mix;
}
