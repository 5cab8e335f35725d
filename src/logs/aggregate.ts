/**
 * The bounded aggregator: feeds on raw line bytes, keeps counts, bounded top-N maps, two quantile
 * sketches and a few samples, and produces a LogSummary. Its memory does not depend on the number of
 * lines. Partial aggregates (one per worker or object) merge through `state()` / `merge()`.
 */
import type { ClassCounts, LogErrorClass, LogSummary, Quantiles } from "../domain/log-summary.ts";
import { BoundedStatsMap, addError, addTiming, type Stats } from "./buckets.ts";
import { classifyLine, idleTolerance, isClassified, type ClassifyInput } from "./classify.ts";
import { TOKEN } from "./fields.ts";
import { validate } from "./parse.ts";
import { LineTokens, latin1, tokenize } from "./tokens.ts";
import { Key, hashArnTail, hashArnTailString, hashBytes, hashString, hashUrlPattern } from "./keyhash.ts";
import { FastLineReader } from "./fast-line.ts";
import { LineView, isDashRange, isWebSocketType, viewFromTokens } from "./line-view.ts";
import { WebSocketCounter, type WebSocketState } from "./websockets.ts";
import { pathPattern, urlPath } from "./path-pattern.ts";
import { QuantileSketch, type SketchState } from "./sketch.ts";

export interface AggregateOptions {
  /** Only lines whose own `time` falls in [startMs, endMs) are counted; all lines when absent. */
  window?: { startMs: number; endMs: number };
  idleTimeoutSeconds: number;
  samplesPerClass?: number;
  /** Keys kept per top-N map before the lightest are folded into "(other)". */
  maxKeys?: number;
  /** Keys reported per top-N map in the summary. */
  topN?: number;
}

/** Serializable partial aggregate (what a worker sends back). */
export interface AggregateState {
  total: number;
  inWindow: number;
  malformed: number;
  malformedSamples: string[];
  byStatus: [number, number][];
  byTargetStatus: [number, number][];
  byClass: ClassCounts;
  byErrorReason: [string, number][];
  maps: Record<MapName, { entries: [string, Stats][]; other: Stats }>;
  targetProcessing: SketchState;
  total_: SketchState;
  samples: Partial<Record<LogErrorClass, string[]>>;
  classDurations?: Partial<Record<LogErrorClass, SketchState>>;
  elbErrorSeconds: [number, number][];
  webSockets: WebSocketState;
}
type MapName = "byTarget" | "byTargetGroup" | "byPath" | "byMinute" | "byAgent";

/** Classes whose cause depends on who sent the request (a browser, a gRPC client, CloudFront). */
const BY_AGENT: ReadonlySet<LogErrorClass> = new Set(["client-closed", "protocol-mismatch"]);
const MAX_AGENT_CHARS = 160;
const MAX_AGENT_KEYS = 1000;

const MAX_ERROR_REASONS = 500;
/** The aggregator reads nothing after error_reason, so it does not tokenize further. */
const NEEDED_TOKENS = TOKEN.errorReason + 1;

/** What one line adds to every key's stats, computed once per line. */
interface LineFacts {
  status: number;
  isError: boolean;
  cls: LogErrorClass | null;
  tpt: number;
  /** The target answered: a target status and a measured target time. */
  answered: boolean;
  measured502: boolean;
}

function count(s: Stats, f: LineFacts): void {
  s.requests++;
  if (f.isError) addError(s, f.status, f.cls);
  if (f.answered || f.measured502) addTiming(s, f.tpt, f.answered, f.measured502);
}

/** Durations kept per whole second for ELB-generated 502/504 (the largest idle timeout is 4000 s). */
const MAX_ERROR_SECONDS = 4000;
/** elbErrorSeconds keys: status × 10000 + seconds. */
const ERROR_SECONDS_KEY = 10_000;

function nullIfNaN(x: number): number | null {
  return x === x ? x : null;
}

/** The latin1 text of a range, or null for "-" or an absent field. */
function textOrNull(buf: Buffer, s: number, e: number): string | null {
  return isDashRange(buf, s, e) ? null : latin1(buf, s, e);
}

/** Minutes since the epoch fit an int32 until the year 6053. */
function minuteKey(key: Key, minute: number): Key {
  key.h1 = minute | 0;
  key.h2 = 0x6d696e; // any constant: the minute alone is the key
  return key;
}

function minuteKeyOf(key: Key, name: string): Key {
  return minuteKey(key, Number(name));
}

export class LogAggregator {
  private readonly t = new LineTokens();
  private readonly view = new LineView();
  private readonly fast = new FastLineReader();
  private readonly key = new Key();
  /** The minute of the previous line and its stats: consecutive lines mostly share a minute. */
  private lastMinute = NaN;
  private lastMinuteStats: Stats | null = null;
  private readonly input: ClassifyInput = {
    elbStatus: 0,
    targetStatus: null,
    targetSet: false,
    requestProcessingTime: null,
    targetProcessingTime: null,
    durationSeconds: NaN,
    errorReason: null,
    actions: null,
  };
  total = 0;
  inWindow = 0;
  malformed = 0;
  readonly malformedSamples: string[] = [];
  private readonly byStatus = new Float64Array(1000);
  private readonly byTargetStatus = new Float64Array(1000);
  private readonly byClass: ClassCounts = {};
  private readonly byErrorReason = new Map<string, number>();
  private readonly maps: Record<MapName, BoundedStatsMap>;
  private readonly targetProcessing = new QuantileSketch();
  private readonly totalDuration = new QuantileSketch();
  private readonly samples: Partial<Record<LogErrorClass, string[]>> = {};
  /** Durations per class, created on a class's first line (most windows have few classes). */
  private readonly classDurations: Partial<Record<LogErrorClass, QuantileSketch>> = {};
  private readonly samplesPerClass: number;
  private readonly facts: LineFacts = {
    status: 0,
    isError: false,
    cls: null,
    tpt: NaN,
    answered: false,
    measured502: false,
  };
  private readonly elbErrorSeconds = new Map<number, number>();
  private readonly webSockets: WebSocketCounter;

  constructor(readonly options: AggregateOptions) {
    const maxKeys = options.maxKeys ?? 5000;
    this.samplesPerClass = options.samplesPerClass ?? 3;
    this.webSockets = new WebSocketCounter(options.idleTimeoutSeconds, idleTolerance(options));
    this.maps = {
      byTarget: new BoundedStatsMap(maxKeys, hashString),
      byTargetGroup: new BoundedStatsMap(maxKeys, hashArnTailString),
      byPath: new BoundedStatsMap(maxKeys, hashString),
      // Keyed by minute number; a week of minutes before folding.
      byMinute: new BoundedStatsMap(7 * 24 * 60, minuteKeyOf),
      byAgent: new BoundedStatsMap(MAX_AGENT_KEYS, hashString),
    };
  }

  /** Counts one line given as bytes [start, end) (no newline). Returns the parse error, if any. */
  addLine(buf: Buffer, start: number, end: number): string | null {
    if (end > start && buf[end - 1] === 0x0d) end--;
    if (end === start) return null; // blank lines are not requests
    this.total++;
    const v = this.view;
    if (!this.fast.read(buf, start, end, v)) {
      const reason = this.readGeneral(buf, start, end);
      if (reason !== null) {
        this.addMalformed(buf.toString("utf8", start, Math.min(end, start + 2000)));
        return reason;
      }
    }
    const w = this.options.window;
    if (w !== undefined && (v.timeMs < w.startMs || v.timeMs >= w.endMs)) return null;
    this.inWindow++;
    const cls = this.countValues(v, start, end);
    const f = this.facts;
    f.status = v.status;
    f.isError = v.status >= 400;
    f.cls = cls;
    f.tpt = v.targetProcessingTime;
    f.answered = v.targetStatus === v.targetStatus && f.tpt >= 0;
    f.measured502 = cls === "elb-502-malformed-response";
    this.countKeys(v, f);
    return null;
  }

  /** Status counts, latencies, error reasons; classifies a 5xx/460 line and keeps it as a sample. */
  private countValues(v: LineView, start: number, end: number): LogErrorClass | null {
    const status = v.status;
    const targetStatus = v.targetStatus;
    const tpt = v.targetProcessingTime;
    const duration = (v.timeMs - v.createdMs) / 1000;
    if (status >= 0 && status < 1000) this.byStatus[status]++;
    if (targetStatus >= 0 && targetStatus < 1000) this.byTargetStatus[targetStatus]++;
    if (tpt === tpt) this.targetProcessing.add(tpt);
    this.totalDuration.add(duration);

    const errorReason = textOrNull(v.buf, v.errorReasonStart, v.errorReasonEnd);
    if (errorReason !== null) this.countReason(errorReason);
    if (status === 101 && isWebSocketType(v.buf, v.typeStart, v.typeEnd)) this.countWebSocket(v, duration);
    if (!isClassified(status)) return null;
    const x = this.input;
    x.elbStatus = status;
    x.targetStatus = nullIfNaN(targetStatus);
    x.targetSet = !isDashRange(v.buf, v.targetStart, v.targetEnd);
    x.requestProcessingTime = nullIfNaN(v.requestProcessingTime);
    x.targetProcessingTime = nullIfNaN(tpt);
    x.durationSeconds = duration;
    x.errorReason = errorReason;
    x.actions = textOrNull(v.buf, v.actionsStart, v.actionsEnd);
    const cls = classifyLine(x, this.options);
    if ((status === 502 || status === 504) && x.targetStatus === null && duration >= 1) {
      const sec = Math.min(MAX_ERROR_SECONDS, Math.floor(duration));
      const k = status * ERROR_SECONDS_KEY + sec;
      this.elbErrorSeconds.set(k, (this.elbErrorSeconds.get(k) ?? 0) + 1);
    }
    if (cls !== null) {
      this.byClass[cls] = (this.byClass[cls] ?? 0) + 1;
      (this.classDurations[cls] ??= new QuantileSketch()).add(duration);
      if (BY_AGENT.has(cls)) this.countAgent(v, status, cls);
      const list = (this.samples[cls] ??= []);
      if (list.length < this.samplesPerClass) list.push(v.buf.toString("utf8", start, end));
    }
    return cls;
  }

  private countWebSocket(v: LineView, duration: number): void {
    const client = latin1(v.buf, v.clientStart, v.clientEnd);
    const colon = client.lastIndexOf(":");
    this.webSockets.add(duration, colon > 0 ? client.slice(0, colon) : client, () => this.pathName());
  }

  /** Requests, errors and target times per minute, target, target group and path pattern. */
  private countKeys(v: LineView, f: LineFacts): void {
    const m = this.maps;
    const key = this.key;
    const minute = Math.floor(v.timeMs / 60000);
    if (minute !== this.lastMinute || this.lastMinuteStats === null) {
      minuteKey(key, minute);
      this.lastMinute = minute;
      this.lastMinuteStats = m.byMinute.get(key) ?? m.byMinute.create(key, String(minute));
    }
    count(this.lastMinuteStats, f);
    hashBytes(key, v.buf, v.targetStart, v.targetEnd);
    const target = m.byTarget.get(key) ?? m.byTarget.create(key, latin1(v.buf, v.targetStart, v.targetEnd));
    count(target, f);
    hashArnTail(key, v.buf, v.targetGroupStart, v.targetGroupEnd);
    const tg =
      m.byTargetGroup.get(key) ??
      m.byTargetGroup.create(key, latin1(v.buf, v.targetGroupStart, v.targetGroupEnd));
    count(tg, f);
    const g1 = key.h1;
    const g2 = key.h2;
    hashUrlPattern(key, v.buf, v.urlStart, v.urlEnd);
    const path = m.byPath.get(key) ?? m.byPath.create(key, this.pathName());
    count(path, f);
    // The string is built only for a path's first group, or a second group (a path that spans groups).
    if (
      (path.groupH1 !== g1 || path.groupH2 !== g2 || path.group === null) &&
      !isDashRange(v.buf, v.targetGroupStart, v.targetGroupEnd)
    ) {
      const name = latin1(v.buf, v.targetGroupStart, v.targetGroupEnd);
      if (path.group === null || name < path.group) {
        path.group = name;
        path.groupH1 = g1;
        path.groupH2 = g2;
      }
    }
  }

  /** One line of a BY_AGENT class under "PROTOCOL user agent" (only these lines build a string). */
  private countAgent(v: LineView, status: number, cls: LogErrorClass): void {
    const agent = latin1(
      v.buf,
      v.userAgentStart,
      Math.min(v.userAgentEnd, v.userAgentStart + MAX_AGENT_CHARS),
    );
    const sp = v.buf.lastIndexOf(0x20, v.urlEnd - 1);
    const proto = sp >= v.urlStart ? latin1(v.buf, sp + 1, v.urlEnd) : "";
    const name = `${proto.startsWith("HTTP/") ? proto : "-"} ${agent}`;
    const map = this.maps.byAgent;
    const key = hashString(this.key, name);
    const st = map.get(key) ?? map.create(key, name);
    st.requests++;
    addError(st, status, cls);
  }

  /** The general path: tokenize and validate, then fill the view. Returns why the line is malformed. */
  private readGeneral(buf: Buffer, start: number, end: number): string | null {
    const t = this.t;
    const reason = tokenize(buf, start, end, t, NEEDED_TOKENS) ?? validate(t);
    if (reason === null) viewFromTokens(t, this.view);
    return reason;
  }

  private pathName(): string {
    const v = this.view;
    const url = latin1(v.buf, v.urlStart, v.urlEnd);
    const path = urlPath(url === "-" ? null : url);
    return path === null ? "-" : pathPattern(path);
  }

  private countReason(reason: string, n = 1): void {
    const m = this.byErrorReason;
    const key = m.has(reason) || m.size < MAX_ERROR_REASONS ? reason : "(other)";
    m.set(key, (m.get(key) ?? 0) + n);
  }

  /** Counts a line that could not be parsed (also used for undecodable input). */
  addMalformed(sample: string): void {
    this.malformed++;
    if (this.malformedSamples.length < this.samplesPerClass) this.malformedSamples.push(sample);
  }

  state(): AggregateState {
    const nonZero = (a: Float64Array) => [...a.entries()].filter(([, v]) => v > 0);
    const maps = {} as AggregateState["maps"];
    for (const name of Object.keys(this.maps) as MapName[]) {
      maps[name] = { entries: this.maps[name].entries(), other: this.maps[name].other };
    }
    return {
      total: this.total,
      inWindow: this.inWindow,
      malformed: this.malformed,
      malformedSamples: this.malformedSamples,
      byStatus: nonZero(this.byStatus),
      byTargetStatus: nonZero(this.byTargetStatus),
      byClass: this.byClass,
      byErrorReason: [...this.byErrorReason.entries()],
      maps,
      targetProcessing: this.targetProcessing.state(),
      total_: this.totalDuration.state(),
      samples: this.samples,
      classDurations: Object.fromEntries(
        Object.entries(this.classDurations).map(([k, sk]) => [k, sk.state()]),
      ) as AggregateState["classDurations"],
      elbErrorSeconds: [...this.elbErrorSeconds.entries()],
      webSockets: this.webSockets.state(),
    };
  }

  merge(s: AggregateState): void {
    this.lastMinuteStats = null; // merging may fold the cached minute into "(other)"
    this.total += s.total;
    this.inWindow += s.inWindow;
    this.malformed += s.malformed;
    for (const m of s.malformedSamples)
      if (this.malformedSamples.length < this.samplesPerClass) this.malformedSamples.push(m);
    for (const [k, v] of s.byStatus) this.byStatus[k] += v;
    for (const [k, v] of s.byTargetStatus) this.byTargetStatus[k] += v;
    for (const [k, v] of Object.entries(s.byClass) as [LogErrorClass, number][]) {
      this.byClass[k] = (this.byClass[k] ?? 0) + v;
    }
    for (const [k, v] of s.byErrorReason) this.countReason(k, v);
    for (const [k, v] of s.elbErrorSeconds)
      this.elbErrorSeconds.set(k, (this.elbErrorSeconds.get(k) ?? 0) + v);
    this.webSockets.merge(s.webSockets);
    for (const name of Object.keys(this.maps) as MapName[]) {
      this.maps[name].mergeEntries(s.maps[name].entries, s.maps[name].other);
    }
    this.targetProcessing.merge(s.targetProcessing);
    this.totalDuration.merge(s.total_);
    for (const [k, st] of Object.entries(s.classDurations ?? {}) as [LogErrorClass, SketchState][]) {
      (this.classDurations[k] ??= new QuantileSketch()).merge(st);
    }
    for (const [k, lines] of Object.entries(s.samples) as [LogErrorClass, string[]][]) {
      const list = (this.samples[k] ??= []);
      for (const l of lines) if (list.length < this.samplesPerClass) list.push(l);
    }
  }

  private errorSecondsSummary(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [k, v] of [...this.elbErrorSeconds.entries()].sort(([a], [b]) => a - b)) {
      const status = String(Math.floor(k / ERROR_SECONDS_KEY));
      (out[status] ??= {})[String(k % ERROR_SECONDS_KEY)] = v;
    }
    return out;
  }

  /** The summary of everything counted so far; the caller fills in the S3/object facts. */
  summary(base: Pick<LogSummary, "enabled" | "window" | "objects"> & Partial<LogSummary>): LogSummary {
    const topN = this.options.topN ?? 50;
    const counts = (a: Float64Array) => {
      const out: Record<string, number> = {};
      a.forEach((v, k) => {
        if (v > 0) out[String(k)] = v;
      });
      return out;
    };
    const minuteKey = (k: string) => `${new Date(Number(k) * 60000).toISOString().slice(0, 16)}Z`;
    return {
      ...base,
      lines: { total: this.total, inWindow: this.inWindow, malformed: this.malformed },
      byStatus: counts(this.byStatus),
      byTargetStatus: counts(this.byTargetStatus),
      byClass: { ...this.byClass },
      byErrorReason: Object.fromEntries(this.byErrorReason),
      byTarget: this.maps.byTarget.top(topN),
      byTargetGroup: this.maps.byTargetGroup.top(topN),
      byPath: this.maps.byPath.top(topN),
      byAgent: this.maps.byAgent.top(topN),
      classDurations: Object.fromEntries(
        Object.entries(this.classDurations).map(([k, sk]) => [k, sk.summary()]),
      ) as Partial<Record<LogErrorClass, Quantiles>>,
      byMinute: Object.fromEntries(
        Object.entries(this.maps.byMinute.top(Number.MAX_SAFE_INTEGER, minuteKey)).sort(([a], [b]) =>
          a < b ? -1 : 1,
        ),
      ),
      latency: { targetProcessing: this.targetProcessing.summary(), total: this.totalDuration.summary() },
      samples: structuredClone(this.samples),
      elbErrorSeconds: this.errorSecondsSummary(),
      ...(this.webSockets.connections > 0 ? { webSockets: this.webSockets.summary() } : {}),
      assumptions: { idleTimeoutSeconds: this.options.idleTimeoutSeconds },
      durationMs: base.durationMs ?? 0,
      malformedSamples: [...this.malformedSamples],
    };
  }
}
