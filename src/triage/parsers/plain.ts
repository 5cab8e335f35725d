/**
 * A person's sentence about an ALB and its 502/504s: "prod-api ALB is throwing 502s", "504s on
 * app/shop/7c1e9a04d2b35f68", "seeing bad gateway from load balancer checkout-alb". It needs both a
 * 5xx mention and a load balancer: an explicit reference, or a name next to the words ALB / load balancer.
 */
import type { AlarmNotice } from "../alarm.ts";
import { findLbRef } from "./refs.ts";

const FIVE_XX = /\b(502|503|504|5xx|5XX|bad gateway|gateway time-?out)s?\b/i;
const NAME = "([A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?)";
const NAMED = [
  new RegExp(`\\b(?:alb|load[ -]balancer|lb)\\s+[\`'"*_]?${NAME}[\`'"*_]?`, "i"),
  new RegExp(`[\`'"*_]?${NAME}[\`'"*_]?\\s+(?:alb|load[ -]balancer)\\b`, "i"),
];
const STOP = new Set([
  "the",
  "our",
  "my",
  "an",
  "a",
  "is",
  "prod",
  "this",
  "that",
  "in",
  "on",
  "from",
  "of",
  "to",
]);

export function parsePlainSentence(text: string): AlarmNotice | null {
  if (!FIVE_XX.test(text)) return null;
  const found = findLbRef(text);
  if (found) return { source: "plain", lbRef: found.ref, lbName: found.name, state: "ALARM" };
  for (const re of NAMED) {
    const name = re.exec(text)?.[1];
    if (name && !STOP.has(name.toLowerCase()) && !/^\d+$/.test(name) && !FIVE_XX.test(name)) {
      return { source: "plain", lbRef: name, lbName: name, state: "ALARM" };
    }
  }
  return null;
}
