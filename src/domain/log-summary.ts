/**
 * What the access-log analyzer (src/logs) tells the diagnosis about one window of logs.
 * Bounded in size whatever the number of lines: counts, top-N maps, quantile estimates, a few samples.
 */

/** The cause class of one 5xx (or 460) line, decided from its fields together. */
export const LOG_ERROR_CLASSES = [
  /** 5xx produced by the application and forwarded by the ALB (target_status_code is 5xx). */
  "target-5xx",
  /** ELB 502, a target chosen, target_status_code "-", request/target processing -1: the target closed or reset the connection (keep-alive race, crash, or nothing listening). */
  "elb-502-target-closed",
  /**
   * ELB 502, a target time measured (target_processing_time >= 0) but target_status_code "-". A row SHAPE, not
   * a verdict: malformed responses write it, and so do keep-alive races (`0.000 0.001 -1 502 -`); the checks
   * tell them apart by how the rows spread over paths, their rate and their target times.
   */
  "elb-502-malformed-response",
  /** ELB 504 with total duration near the idle timeout: the target was slower than the idle timeout. */
  "elb-504-idle-timeout",
  /** ELB 504 with total duration near 10 s and -1 timings: the ALB could not connect (SG/NACL drop, overload). */
  "elb-504-connect-timeout",
  /** Other ELB 504. */
  "elb-504-other",
  /** ELB 503 with no target ("-"): no registered or healthy target for the rule. */
  "elb-503-no-target",
  /** error_reason Lambda*. */
  "lambda-error",
  /** error_reason Auth* (authenticate action) or 561. */
  "auth-error",
  /** error_reason WAF*. */
  "waf-error",
  /** 460: the client closed the connection before the response. */
  "client-closed",
  /** ELB 464 (or an ELB-generated 505): the request's protocol does not fit the target group's ProtocolVersion. */
  "protocol-mismatch",
  /** Any other ELB-generated 5xx. */
  "elb-5xx-other",
] as const;
export type LogErrorClass = (typeof LOG_ERROR_CLASSES)[number];

export type ClassCounts = Partial<Record<LogErrorClass, number>>;

export interface Quantiles {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export interface BucketStats {
  requests: number;
  /** ELB status code -> count, only for 4xx/5xx (e.g. { "502": 12, "504": 3 }). */
  errors: Record<string, number>;
  classes: ClassCounts;
  /** Requests the target answered (target status and target_processing_time present): the key's normal latency. */
  answered?: { count: number; meanSeconds: number; maxSeconds: number; slow: number };
  /** Mean target_processing_time of the key's 502s that have one (class elb-502-malformed-response). */
  measured502MeanSeconds?: number;
  /** byPath only: the target group the path's requests go to (the first one seen). */
  targetGroup?: string;
}

/** WebSocket connections (ws/wss rows with status 101): each row is written when the connection closes. */
export interface WebSocketStats {
  /** ws/wss rows with ELB status 101. */
  connections: number;
  /** Of them, lasting about the idle timeout (within the analyzer's idle tolerance). */
  closedAtIdle: number;
  /** The longest connection seen (seconds), and how many lasted longer than the idle timeout. */
  maxSeconds: number | null;
  longerThanIdle: number;
  /** Distinct clients (IP) with connections closed at the idle timeout, and those with two or more (reconnects). */
  clientsAtIdle: number;
  repeatClientsAtIdle: number;
  /** Path pattern -> connections closed at the idle timeout (top few). */
  pathsAtIdle: Record<string, number>;
}

/** How a window's logs were read (the report's `logScan`). */
export interface LogScanInfo {
  engine: "stream" | "athena";
  /** The window's objects and their compressed bytes (from the listing). */
  objects: number;
  bytes: number;
  /** What was read of them: all, or (a streaming scan over its budget or deadline) the newest part. */
  objectsRead: number;
  bytesRead: number;
  /** Bytes the engine scanned: what the streaming scan downloaded, or Athena's DataScannedInBytes. */
  scannedBytes: number;
  complete: boolean;
  /** Why a scan stopped early: its byte budget or its deadline. */
  stoppedBy?: "budget" | "deadline";
}

export interface LogSummary {
  /** Logging state as read from the LB attributes. */
  enabled: boolean;
  bucket?: string;
  prefix?: string;
  window: { start: string; end: string };
  objects: {
    listed: number;
    scanned: number;
    bytes: number;
    /** Objects that could not be read or decompressed, with why; the rest of the window is still analyzed. */
    failed: { key: string; reason: string }[];
  };
  lines: {
    total: number;
    /** Lines whose time falls in the window and were counted. */
    inWindow: number;
    malformed: number;
  };
  /** ELB status code -> count. */
  byStatus: Record<string, number>;
  /** Target status code -> count (only lines where a target answered). */
  byTargetStatus: Record<string, number>;
  byClass: ClassCounts;
  /** error_reason -> count (only non "-"). */
  byErrorReason: Record<string, number>;
  /** "ip:port" -> stats; top targets by errors, bounded. */
  byTarget: Record<string, BucketStats>;
  /** target group ARN -> stats. */
  byTargetGroup: Record<string, BucketStats>;
  /** Path pattern (numeric and uuid segments collapsed to :id) -> stats; top patterns, bounded. */
  byPath: Record<string, BucketStats>;
  /** Minute (ISO, "2026-03-15T14:21Z") -> stats. */
  byMinute: Record<string, BucketStats>;
  latency: {
    /** target_processing_time in seconds, only where measured (not -1). */
    targetProcessing: Quantiles;
    /** time - request_creation_time in seconds. */
    total: Quantiles;
  };
  /**
   * Request protocol and user agent ("HTTP/2.0 grpc-go/1.62.1", agent cut to 160 characters) -> stats, only
   * for the lines whose cause depends on who sent them (460 and protocol-mismatch); bounded.
   */
  byAgent?: Record<string, BucketStats>;
  /** Per class: the durations (time - request_creation_time, seconds) of that class's lines. */
  classDurations?: Partial<Record<LogErrorClass, Quantiles>>;
  /**
   * ELB status ("502", "504") -> whole seconds -> count: durations (time - request_creation_time) of the
   * ALB-generated 502s and 504s (no target status) that lasted a
   * second or more: a pile-up at one value that is neither the idle timeout nor the 10 s connect timeout is a
   * timeout behind the ALB (an app server killing its workers).
   */
  elbErrorSeconds?: Record<string, Record<string, number>>;
  webSockets?: WebSocketStats;
  /** A few raw lines per class, as evidence. */
  samples: Partial<Record<LogErrorClass, string[]>>;
  /** A few lines that could not be parsed (first 2000 characters each), to show what they look like. */
  malformedSamples?: string[];
  /** What the analyzer assumed (e.g. the idle timeout used to classify 504s). */
  assumptions: { idleTimeoutSeconds: number };
  durationMs: number;
  /** Which engine read the window and how much of it. */
  scan?: LogScanInfo;
}
