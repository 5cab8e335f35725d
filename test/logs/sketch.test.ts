import { describe, expect, it } from "vitest";
import { QuantileSketch } from "../../src/logs/sketch.ts";
import { rng } from "../../bench/generate-logs.ts";

function exact(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

const DISTRIBUTIONS: [string, (r: () => number) => number][] = [
  ["uniform 0-1 s", (r) => r()],
  [
    "log-normal latencies",
    (r) => Math.exp(-3 + 1.5 * Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r())),
  ],
  ["heavy tail with idle-timeout spikes", (r) => (r() < 0.02 ? 60 + r() * 0.01 : r() * r() * 0.5)],
];

describe("QuantileSketch", () => {
  it.each(DISTRIBUTIONS)("answers quantiles of %s within the relative accuracy", (_n, draw) => {
    const r = rng(42);
    const sketch = new QuantileSketch(0.01);
    const values: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      const v = draw(r);
      values.push(v);
      sketch.add(v);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999]) {
      const want = exact(values, q);
      const got = sketch.quantile(q) as number;
      expect(Math.abs(got - want) / want, `q=${q} want ${want} got ${got}`).toBeLessThanOrEqual(0.01 + 1e-9);
    }
    expect(sketch.summary().max).toBe(values[values.length - 1]);
    expect(sketch.count).toBe(200_000);
  });

  it("keeps a fixed number of buckets whatever it is fed", () => {
    const s = new QuantileSketch();
    const capacity = s.bucketCapacity;
    for (let i = 0; i < 100_000; i++) s.add(Math.pow(10, (i % 2000) / 100 - 8));
    expect(s.bucketCapacity).toBe(capacity);
    expect(s.state().buckets.length).toBeLessThanOrEqual(capacity);
  });

  it("counts zeros, ignores -1 and NaN", () => {
    const s = new QuantileSketch();
    [0, 0, 0, -1, NaN, 0.5].forEach((v) => s.add(v));
    expect(s.count).toBe(4);
    expect(s.quantile(0.5)).toBe(0);
    expect(s.summary().max).toBe(0.5);
  });

  it("merges: two halves give the quantiles of the whole", () => {
    const r = rng(7);
    const a = new QuantileSketch();
    const b = new QuantileSketch();
    const whole = new QuantileSketch();
    for (let i = 0; i < 50_000; i++) {
      const v = r() * 10;
      (i % 2 ? a : b).add(v);
      whole.add(v);
    }
    a.merge(b.state());
    expect(a.summary()).toEqual(whole.summary());
  });

  it("is empty-safe", () => {
    expect(new QuantileSketch().summary()).toEqual({ count: 0, p50: null, p90: null, p99: null, max: null });
  });
});
