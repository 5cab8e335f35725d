/**
 * CloudWatch alarm notifications as SNS delivers them, pasted or forwarded into Slack: the alarm JSON
 * (AlarmName, NewStateValue, StateChangeTime, Trigger{MetricName, Namespace, Dimensions[{name,value}]})
 * alone, or inside an SNS envelope whose Message is that JSON as a string. Metric-math alarms carry
 * the dimensions in Trigger.Metrics[].MetricStat.Metric.
 */
import { awsConsoleUrl } from "../../domain/text.ts";
import type { AlarmNotice, AlarmState } from "../alarm.ts";
import { findLbRef } from "./refs.ts";

interface Dimension {
  name?: string;
  value?: string;
  Name?: string;
  Value?: string;
}
interface AlarmJson {
  AlarmName?: string;
  NewStateValue?: string;
  StateChangeTime?: string;
  Region?: string;
  AlarmArn?: string;
  Trigger?: {
    MetricName?: string;
    Namespace?: string;
    Dimensions?: Dimension[];
    Metrics?: {
      MetricStat?: { Metric?: { MetricName?: string; Namespace?: string; Dimensions?: Dimension[] } };
    }[];
  };
}

export function parseSnsJson(text: string): AlarmNotice | null {
  const alarm = findAlarmJson(text);
  if (!alarm) return null;
  const metrics = [
    {
      MetricName: alarm.Trigger?.MetricName,
      Namespace: alarm.Trigger?.Namespace,
      Dimensions: alarm.Trigger?.Dimensions,
    },
    ...(alarm.Trigger?.Metrics ?? []).map((m) => m.MetricStat?.Metric ?? {}),
  ];
  let lbRef: string | undefined;
  let metric: string | undefined;
  for (const m of metrics) {
    const dim = (m.Dimensions ?? []).find((d) => (d.name ?? d.Name) === "LoadBalancer");
    if (dim && !lbRef) {
      lbRef = dim.value ?? dim.Value;
      metric = m.MetricName;
    }
    metric ??= m.Namespace === "AWS/ApplicationELB" ? m.MetricName : undefined;
  }
  const found = lbRef ? findLbRef(lbRef) : findLbRef(JSON.stringify(alarm));
  const elbNamespace = metrics.some((m) => m.Namespace === "AWS/ApplicationELB");
  if (!found && !elbNamespace) return null;
  const region = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):/.exec(alarm.AlarmArn ?? "")?.[1];
  return {
    source: "sns-json",
    ...(found ? { lbRef: found.ref, lbName: found.name } : {}),
    alarmName: alarm.AlarmName,
    metric,
    state: toState(alarm.NewStateValue),
    time: toIso(alarm.StateChangeTime),
    region,
    // Built here from the region and the name, and still parsed: a region is only [a-z0-9-].
    link:
      region && alarm.AlarmName
        ? awsConsoleUrl(
            `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarm.AlarmName)}`,
            "/cloudwatch",
          )
        : undefined,
  };
}

/** The first JSON object in the text that is (or wraps, as an SNS envelope) a CloudWatch alarm. */
function findAlarmJson(text: string): AlarmJson | null {
  for (let start = text.indexOf("{"); start >= 0; start = text.indexOf("{", start + 1)) {
    const candidate = balancedObject(text, start);
    if (!candidate) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(candidate);
    } catch {
      continue;
    }
    const alarm = unwrap(parsed);
    if (alarm) return alarm;
  }
  return null;
}

function unwrap(v: unknown, depth = 0): AlarmJson | null {
  if (typeof v !== "object" || v === null || depth > 3) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.AlarmName === "string" && typeof o.NewStateValue === "string") return o as AlarmJson;
  if (typeof o.Message === "string") {
    try {
      return unwrap(JSON.parse(o.Message), depth + 1);
    } catch {
      return null;
    }
  }
  if (Array.isArray(o.Records)) return unwrap((o.Records[0] as { Sns?: unknown })?.Sns, depth + 1);
  return null;
}

/** The text of the balanced {...} starting at `start`, honouring strings; null if unbalanced. */
function balancedObject(text: string, start: number): string | null {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length && i < start + 200_000; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return text.slice(start, i + 1);
  }
  return null;
}

export function toState(v: string | undefined): AlarmState | undefined {
  const s = v?.toUpperCase();
  return s === "ALARM" || s === "OK" || s === "INSUFFICIENT_DATA" ? s : undefined;
}

/** CloudWatch writes "2026-03-15T14:21:10.123+0000"; Date needs "+00:00". */
export function toIso(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const d = new Date(v.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
