/**
 * The bounded aggregator: feeds on raw line bytes, keeps counts, bounded top-N maps, two quantile
 * sketches and a few samples, and produces a LogSummary. Its memory does not depend on the number of
 * lines. Partial aggregates (one per worker or object) merge through `state()` / `merge()`.
 */
import type { ClassCounts, LogErrorClass, LogSummary } from "../domain/log-summary.ts";
import { BoundedStatsMap, addError, type Stats } from "./buckets.ts";
import { classifyLine, isClassified, type ClassifyInput } from "./classify.ts";
import { TOKEN } from "./fields.ts";
import { TIME_REASON, checkNumbers, checkShape } from "./parse.ts";
import { LineTokens, asciiAt, isDash, isoAt, latin1, numberAt, tokenize } from "./tokens.ts";
import { hashBytes, hashString, hashUrlPattern } from "./keyhash.ts";
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
}
type MapName = "byTarget" | "byTargetGroup" | "byPath" | "byMinute";

const MAX_ERROR_REASONS = 500;
const DASH_KEY = hashString("-");
/** The aggregator reads nothing after error_reason, so it does not tokenize further. */
const NEEDED_TOKENS = TOKEN.errorReason + 1;

export class LogAggregator {
  private readonly t = new LineTokens();
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
  private readonly samplesPerClass: number;

  constructor(readonly options: AggregateOptions) {
    const maxKeys = options.maxKeys ?? 5000;
    this.samplesPerClass = options.samplesPerClass ?? 3;
    this.maps = {
      byTarget: new BoundedStatsMap(maxKeys, hashString),
      byTargetGroup: new BoundedStatsMap(maxKeys, hashString),
      byPath: new BoundedStatsMap(maxKeys, hashString),
      // Keyed by minute number; a week of minutes before folding.
      byMinute: new BoundedStatsMap(7 * 24 * 60, Number),
    };
  }

  /** Counts one line given as bytes [start, end) (no newline). Returns the parse error, if any. */
  addLine(buf: Buffer, start: number, end: number): string | null {
    if (end > start && buf[end - 1] === 0x0d) end--;
    if (end === start) return null; // blank lines are not requests
    this.total++;
    const t = this.t;
    let reason = tokenize(buf, start, end, t, NEEDED_TOKENS) ?? checkShape(t);
    const timeMs = reason === null ? isoAt(t, TOKEN.time) : NaN;
    if (reason === null) reason = Number.isNaN(timeMs) ? TIME_REASON : checkNumbers(t);
    if (reason !== null) {
      this.addMalformed(buf.toString("utf8", start, Math.min(end, start + 2000)));
      return reason;
    }
    const w = this.options.window;
    if (w !== undefined && (timeMs < w.startMs || timeMs >= w.endMs)) return null;
    this.inWindow++;

    const status = numberAt(t, TOKEN.elbStatusCode) ?? 0;
    const targetStatus = numberAt(t, TOKEN.targetStatusCode);
    const tpt = numberAt(t, TOKEN.targetProcessingTime);
    const created = isoAt(t, TOKEN.requestCreationTime);
    const duration = (timeMs - created) / 1000;
    if (status >= 0 && status < 1000) this.byStatus[status]++;
    if (targetStatus !== null && targetStatus >= 0 && targetStatus < 1000)
      this.byTargetStatus[targetStatus]++;
    if (tpt !== null) this.targetProcessing.add(tpt);
    this.totalDuration.add(duration);

    let cls: LogErrorClass | null = null;
    const errorReason = isDash(t, TOKEN.errorReason) ? null : asciiAt(t, TOKEN.errorReason);
    if (errorReason !== null) this.countReason(errorReason);
    if (isClassified(status)) {
      const x = this.input;
      x.elbStatus = status;
      x.targetStatus = targetStatus;
      x.targetSet = !isDash(t, TOKEN.target);
      x.requestProcessingTime = numberAt(t, TOKEN.requestProcessingTime);
      x.targetProcessingTime = tpt;
      x.durationSeconds = duration;
      x.errorReason = errorReason;
      x.actions = asciiAt(t, TOKEN.actionsExecuted);
      cls = classifyLine(x, this.options);
      if (cls !== null) {
        this.byClass[cls] = (this.byClass[cls] ?? 0) + 1;
        const list = (this.samples[cls] ??= []);
        if (list.length < this.samplesPerClass) list.push(buf.toString("utf8", start, end));
      }
    }
    const isError = status >= 400;
    const m = this.maps;
    const minute = Math.floor(timeMs / 60000);
    this.count(m.byMinute.map.get(minute) ?? m.byMinute.create(minute, String(minute)), status, isError, cls);
    const target = this.tokenKey(TOKEN.target);
    this.count(
      m.byTarget.map.get(target) ?? m.byTarget.create(target, this.tokenName(TOKEN.target)),
      status,
      isError,
      cls,
    );
    const tg = this.tokenKey(TOKEN.targetGroupArn);
    this.count(
      m.byTargetGroup.map.get(tg) ?? m.byTargetGroup.create(tg, this.tokenName(TOKEN.targetGroupArn)),
      status,
      isError,
      cls,
    );
    const path = this.pathKey();
    this.count(m.byPath.map.get(path) ?? m.byPath.create(path, this.pathName()), status, isError, cls);
    return null;
  }

  private count(s: Stats, status: number, isError: boolean, cls: LogErrorClass | null): void {
    s.requests++;
    if (isError) addError(s, status, cls);
  }

  private tokenKey(i: number): number {
    const t = this.t;
    return i < t.count ? hashBytes(t.buf, t.starts[i], t.ends[i]) : DASH_KEY;
  }

  private tokenName(i: number): string {
    return asciiAt(this.t, i) ?? "-";
  }

  /** The URL of the request token: from its first space to its end (the protocol is cut by urlPath). */
  private urlBounds(): [number, number] {
    const t = this.t;
    const i = TOKEN.request;
    const s = t.buf.indexOf(0x20, t.starts[i]);
    return s < 0 || s >= t.ends[i] ? [t.ends[i] - 1, t.ends[i]] : [s + 1, t.ends[i]];
  }

  private pathKey(): number {
    const [s, e] = this.urlBounds();
    return hashUrlPattern(this.t.buf, s, e);
  }

  private pathName(): string {
    const [s, e] = this.urlBounds();
    const url = latin1(this.t.buf, s, e);
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
    };
  }

  merge(s: AggregateState): void {
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
    for (const name of Object.keys(this.maps) as MapName[]) {
      this.maps[name].mergeEntries(s.maps[name].entries, s.maps[name].other);
    }
    this.targetProcessing.merge(s.targetProcessing);
    this.totalDuration.merge(s.total_);
    for (const [k, lines] of Object.entries(s.samples) as [LogErrorClass, string[]][]) {
      const list = (this.samples[k] ??= []);
      for (const l of lines) if (list.length < this.samplesPerClass) list.push(l);
    }
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
      byMinute: Object.fromEntries(
        Object.entries(this.maps.byMinute.top(Number.MAX_SAFE_INTEGER, minuteKey)).sort(([a], [b]) =>
          a < b ? -1 : 1,
        ),
      ),
      latency: { targetProcessing: this.targetProcessing.summary(), total: this.totalDuration.summary() },
      samples: structuredClone(this.samples),
      assumptions: { idleTimeoutSeconds: this.options.idleTimeoutSeconds },
      durationMs: base.durationMs ?? 0,
      malformedSamples: [...this.malformedSamples],
    };
  }
}
