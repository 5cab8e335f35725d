/**
 * Building blocks of the scenario schema (scenario-schema*.ts): AWS-style scalars and the `expected ..., got ...`
 * range check.
 */
import { z } from "zod";

/** Fields of an AWS shape the simulator keeps but does not interpret. */
export const accepted = (...names: string[]) =>
  Object.fromEntries(names.map((n) => [n, z.unknown().optional()]));

export const str = z.string();
/** A string that YAML may have read as a number or boolean (attribute values, "-1" protocols, account ids). */
export const scalarString = z.preprocess(
  (v) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v),
  z.string(),
);

export const intIn = (min: number, max: number) =>
  z.number().superRefine((v, ctx) => {
    if (!Number.isInteger(v) || v < min || v > max) {
      ctx.addIssue({ code: "custom", message: `expected ${min}..${max}, got ${v}` });
    }
  });

const isoTime = z.string().superRefine((v, ctx) => {
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) ||
    Number.isNaN(Date.parse(v))
  ) {
    ctx.addIssue({
      code: "custom",
      message: `expected an ISO 8601 time such as 2026-03-15T14:30:00Z, got ${v}`,
    });
  }
});
/** YAML 1.1 readers may hand us a Date for an unquoted timestamp; accept it. */
export const time = z.preprocess((v) => (v instanceof Date ? v.toISOString() : v), isoTime);

export const port = intIn(1, 65535);
export const tags = z.array(z.strictObject({ Key: str, Value: scalarString.default("") }));
export const attributes = z.record(z.string(), scalarString);
