/**
 * `parse --jsonl`: every line of local .log/.log.gz files as one JSON object with its 1-based line number;
 * a line that cannot be parsed is reported (file, line, reason) and counted, and parsing goes on.
 */
import { createReadStream } from "node:fs";
import { LineTokens, parseLineBytes } from "./parse.ts";
import { scanObject } from "./stream.ts";

export interface JsonlResult {
  lines: number;
  malformed: number;
  failed: { key: string; reason: string }[];
}

export async function parseFilesToJsonl(
  paths: string[],
  out: (text: string) => void,
  warn: (text: string) => void,
): Promise<JsonlResult> {
  const result: JsonlResult = { lines: 0, malformed: 0, failed: [] };
  const t = new LineTokens();
  for (const path of paths) {
    let lineNo = 0;
    let batch = "";
    const flush = () => {
      if (batch) out(batch);
      batch = "";
    };
    const sink = {
      addLine(buf: Buffer, start: number, end: number): string | null {
        lineNo++;
        if (end === start || (end === start + 1 && buf[start] === 0x0d)) return null;
        result.lines++;
        const r = parseLineBytes(buf, start, end, t);
        if (!r.ok) {
          result.malformed++;
          warn(`${path}:${lineNo}: ${r.reason}\n`);
          return r.reason;
        }
        batch += `${JSON.stringify({ line: lineNo, ...r.record })}\n`;
        if (batch.length > 64 * 1024) flush();
        return null;
      },
      addMalformed(): void {
        lineNo++;
        result.lines++;
        result.malformed++;
        warn(`${path}:${lineNo}: line longer than 1 MiB\n`);
      },
    };
    let r: { failure?: string };
    try {
      r = await scanObject(createReadStream(path), sink, !path.endsWith(".gz"));
    } catch (e) {
      r = { failure: (e as Error).message };
    }
    flush();
    if (r.failure) {
      result.failed.push({ key: path, reason: r.failure });
      warn(`${path}: ${r.failure}\n`);
    }
  }
  return result;
}
