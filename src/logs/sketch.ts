/**
 * A relative-error quantile sketch (DDSketch-style): values fall into logarithmic buckets whose bounds
 * grow by a factor gamma = (1+a)/(1-a), so any quantile is answered within relative error `a` of a real
 * value of the data. The bucket array is fixed-size (values outside [MIN_VALUE, MAX_VALUE] are clamped
 * to the end buckets), so memory is constant whatever the number of values, and two sketches with the
 * same accuracy merge by adding their counts. Values <= MIN_VALUE (e.g. 0.000 s) count in a zero bucket.
 */
import type { Quantiles } from "../domain/log-summary.ts";

export const DEFAULT_RELATIVE_ACCURACY = 0.01;
const MIN_VALUE = 1e-6;
const MAX_VALUE = 1e7;

export interface SketchState {
  relativeAccuracy: number;
  zeroCount: number;
  count: number;
  max: number | null;
  /** Non-empty buckets as [index, count] pairs. */
  buckets: [number, number][];
}

export class QuantileSketch {
  readonly relativeAccuracy: number;
  private readonly logGamma: number;
  private readonly gamma: number;
  private readonly offset: number;
  private readonly counts: Float64Array;
  private zeroCount = 0;
  private total = 0;
  private maxValue = -Infinity;

  constructor(relativeAccuracy = DEFAULT_RELATIVE_ACCURACY) {
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1))
      throw new RangeError("relativeAccuracy must be in (0, 1)");
    this.relativeAccuracy = relativeAccuracy;
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.logGamma = Math.log(this.gamma);
    this.offset = -Math.ceil(Math.log(MIN_VALUE) / this.logGamma);
    this.counts = new Float64Array(this.offset + Math.ceil(Math.log(MAX_VALUE) / this.logGamma) + 1);
  }

  get count(): number {
    return this.total;
  }

  /** Number of buckets allocated (constant). */
  get bucketCapacity(): number {
    return this.counts.length;
  }

  add(value: number): void {
    if (!(value >= 0)) return; // NaN and negatives ("not measured") are not durations
    this.total++;
    if (value > this.maxValue) this.maxValue = value;
    if (value <= MIN_VALUE) {
      this.zeroCount++;
      return;
    }
    let i = Math.ceil(Math.log(value) / this.logGamma) + this.offset;
    if (i < 0) i = 0;
    else if (i >= this.counts.length) i = this.counts.length - 1;
    this.counts[i]++;
  }

  /** The value at quantile q in [0, 1], within relative accuracy; null when empty. */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(0, Math.min(1, q)) * (this.total - 1);
    let seen = this.zeroCount;
    if (rank < seen) return 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (rank < seen) return Math.min(this.bucketValue(i), this.maxValue);
    }
    return this.maxValue;
  }

  private bucketValue(i: number): number {
    // The bucket (gamma^(k-1), gamma^k] is represented by the point with equal relative error to both ends.
    return (2 * Math.pow(this.gamma, i - this.offset)) / (this.gamma + 1);
  }

  summary(): Quantiles {
    return {
      count: this.total,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      max: this.total === 0 ? null : this.maxValue,
    };
  }

  merge(other: QuantileSketch | SketchState): void {
    const state = other instanceof QuantileSketch ? other.state() : other;
    if (state.relativeAccuracy !== this.relativeAccuracy)
      throw new RangeError("cannot merge sketches of different accuracy");
    this.zeroCount += state.zeroCount;
    this.total += state.count;
    if (state.max !== null && state.max > this.maxValue) this.maxValue = state.max;
    for (const [i, c] of state.buckets) this.counts[i] += c;
  }

  state(): SketchState {
    const buckets: [number, number][] = [];
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i] > 0) buckets.push([i, this.counts[i]]);
    return {
      relativeAccuracy: this.relativeAccuracy,
      zeroCount: this.zeroCount,
      count: this.total,
      max: this.total === 0 ? null : this.maxValue,
      buckets,
    };
  }
}
