/**
 * Partition projection as Athena applies it: a partition's value is read from an object's place under
 * `storage.location.template` (one `${column}` placeholder), in the column's `projection.X.format` for
 * date projection. Objects outside the projected layout belong to no partition and are never read.
 */
import type { TableW } from "./state.ts";

/** Java date format letters -> a regex for their text (the subset ALB layouts use). */
function formatRegex(format: string): RegExp {
  const body = format
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(/yyyy/g, "\\d{4}")
    .replace(/MM|dd|HH|mm/g, "\\d{2}");
  return new RegExp(`^${body}`);
}

export function partitionValue(t: TableW, path: string): string | undefined {
  if (t.partitionColumns.length === 0) return "";
  const col = t.partitionColumns[0];
  const p = t.properties;
  if (p["projection.enabled"] !== "true") return undefined;
  const template = p["storage.location.template"] ?? `${t.location.replace(/\/?$/, "/")}${col}=\${${col}}`;
  const at = template.indexOf(`\${${col}}`);
  if (at < 0) return undefined;
  const before = template.slice(0, at);
  if (!path.startsWith(before)) return undefined;
  const rest = path.slice(before.length);
  const type = p[`projection.${col}.type`];
  if (type === "date") {
    const m = formatRegex(p[`projection.${col}.format`] ?? "yyyy-MM-dd").exec(rest);
    if (!m || rest[m[0].length] !== "/") return undefined;
    return m[0];
  }
  const slash = rest.indexOf("/");
  return slash > 0 ? rest.slice(0, slash) : undefined;
}
