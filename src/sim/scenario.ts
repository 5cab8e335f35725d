/**
 * Loading a scenario (docs/contract/scenario-format.md): read the YAML or JSON file, validate it with the zod
 * schema, derive the World (defaults, ARNs, ids, references), and write the access-log objects into the
 * buckets, gzipped, under the keys ELB would use. With `live`, the scenario clock is moved so that its
 * `now` is the wall clock, and everything time-stamped moves with it.
 */
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { parse as parseYaml } from "yaml";
import { AlbDoctorError } from "../domain/errors.ts";
import type { World } from "./world.ts";
import { ScenarioSchema, type Scenario } from "./scenario-schema.ts";
import { Problems, problemFromZod, scenarioError, type ProblemPath } from "./scenario-problems.ts";
import { deriveWorld } from "./derive.ts";
import { lbResourceId } from "./derive-ids.ts";
import { shiftLogLine } from "./live.ts";
import { accessLogObjectKey, DEFAULT_DELIVERY_DELAY_MS, stableLogKeyRandom } from "./access-log-keys.ts";
import { generateAccessLogLines, GenerateSpecSchema } from "./loggen/index.ts";

export interface LoadScenarioOptions {
  /** Replay on the wall clock: shift the scenario's `now` to `wallClock`. */
  live?: boolean;
  /** The wall clock (default: the current time); also `now` for scenarios without one. */
  wallClock?: Date;
  /** How messages name the source when text (not a file) is loaded; default "<scenario>". */
  sourceName?: string;
}

const FILE_MINUTES = 5;

/** Load from a file path, or from YAML/JSON text (anything with a newline or starting with `{`). */
export function loadScenario(fileOrText: string, options: LoadScenarioOptions = {}): World {
  const isText = fileOrText.includes("\n") || fileOrText.trimStart().startsWith("{");
  if (isText) return loadScenarioText(fileOrText, options.sourceName ?? "<scenario>", options);
  let text: string;
  try {
    text = readFileSync(fileOrText, "utf8");
  } catch (e) {
    throw new AlbDoctorError(
      "scenario",
      `${fileOrText}: cannot read the scenario file (${(e as Error).message})`,
      {
        cause: e,
      },
    );
  }
  const base = fileOrText.replace(/^.*[\\/]/, "").replace(/\.(ya?ml|json)$/i, "");
  return loadScenarioText(text, fileOrText, { ...options, defaultName: base });
}

export function loadScenarioText(
  text: string,
  source: string,
  options: LoadScenarioOptions & { defaultName?: string } = {},
): World {
  let data: unknown;
  try {
    data = parseYaml(text); // YAML is a superset of JSON
  } catch (e) {
    throw new AlbDoctorError("scenario", `${source}: not valid YAML or JSON: ${(e as Error).message}`, {
      cause: e,
    });
  }
  return loadScenarioObject(data, source, options);
}

/** Validate and derive from an already-parsed object (tests build scenarios this way). */
export function loadScenarioObject(
  data: unknown,
  source = "<scenario>",
  options: LoadScenarioOptions & { defaultName?: string } = {},
): World {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw scenarioError(source, [{ path: [], message: "expected a mapping of scenario keys" }]);
  }
  const parsed = ScenarioSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw scenarioError(source, parsed.error.issues.flatMap(problemFromZod));
  const scenario = parsed.data;
  const wall = options.wallClock ?? new Date();
  const recordedNow = scenario.now ? new Date(scenario.now) : wall;
  const offsetMs = options.live ? wall.getTime() - recordedNow.getTime() : 0;
  const now = new Date(recordedNow.getTime() + offsetMs);

  const name = scenario.name ?? options.defaultName ?? "scenario";
  const world = deriveAccount(scenario, name, now, offsetMs, [], source);
  world.accounts = scenario.accounts.map((entry, i) => {
    const { alias, roleName, externalId, ...keys } = entry;
    const sub: Scenario = {
      ...keys,
      region: entry.region ?? scenario.region,
      now: scenario.now,
      accounts: [],
    };
    const subWorld = deriveAccount(
      sub,
      `${name}/${alias ?? entry.accountId}`,
      now,
      offsetMs,
      ["accounts", i],
      source,
    );
    subWorld.sessions = world.sessions;
    return {
      accountId: entry.accountId,
      region: sub.region,
      ...(alias !== undefined ? { alias } : {}),
      ...(roleName !== undefined ? { roleName } : {}),
      ...(externalId !== undefined ? { externalId } : {}),
      world: subWorld,
    };
  });
  return world;
}

/** One account's World; problems name their place under `at` (e.g. accounts[1].loadBalancers[0]). */
function deriveAccount(
  s: Scenario,
  name: string,
  now: Date,
  offsetMs: number,
  at: ProblemPath,
  source: string,
): World {
  const problems = new Problems();
  const world = deriveWorld(s, name, now, problems);
  if (problems.empty) addAccessLogObjects(world, s, offsetMs, problems);
  if (!problems.empty) {
    const prefixed = new Problems();
    for (const p of problems.list) prefixed.add([...at, ...p.path], p.message);
    prefixed.throwIfAny(source);
  }
  return world;
}

function addAccessLogObjects(world: World, s: Scenario, offsetMs: number, problems: Problems): void {
  (s.accessLogs?.files ?? []).forEach((file, i) => {
    const at: ProblemPath = ["accessLogs", "files", i];
    const withBucket = world.loadBalancers.filter((lb) => lb.Attributes["access_logs.s3.bucket"]);
    const lb = file.LoadBalancer
      ? world.loadBalancers.find((x) => x.LoadBalancerName === file.LoadBalancer)
      : withBucket.length === 1
        ? withBucket[0]
        : undefined;
    if (!lb) {
      problems.add(
        file.LoadBalancer ? [...at, "LoadBalancer"] : at,
        file.LoadBalancer
          ? `unknown load balancer ${file.LoadBalancer} (not in loadBalancers)`
          : `name the load balancer (LoadBalancer:): ${withBucket.length} load balancers have an access_logs.s3.bucket`,
      );
      return;
    }
    const bucketName = lb.Attributes["access_logs.s3.bucket"];
    const bucket = bucketName ? world.buckets.get(bucketName) : undefined;
    if (!bucket) {
      problems.add(
        at,
        `load balancer ${lb.LoadBalancerName} has no access_logs.s3.bucket attribute to write to`,
      );
      return;
    }
    const end = new Date(Date.parse(file.End) + offsetMs);
    const start = new Date(end.getTime() - FILE_MINUTES * 60_000);
    const lines = (file.Lines ?? []).map((l) => shiftLogLine(l, offsetMs));
    if (file.Generate !== undefined) {
      const spec = GenerateSpecSchema.safeParse(file.Generate, { reportInput: true });
      if (!spec.success) {
        for (const p of spec.error.issues.flatMap(problemFromZod))
          problems.add([...at, "Generate", ...p.path], p.message);
        return;
      }
      lines.push(
        ...generateAccessLogLines(spec.data, {
          lb,
          targetGroups: world.targetGroups,
          listeners: world.listeners.filter((l) => l.LoadBalancerArn === lb.LoadBalancerArn),
          instances: world.instances,
          networkInterfaces: world.networkInterfaces,
          start,
          end,
          // Seeded by the file's own (unshifted) end, so a --live replay draws the same traffic every load.
          seed: `${lb.LoadBalancerArn}|${file.End}`,
        }),
      );
    }
    const resource = lbResourceId(lb.LoadBalancerName, lb.Id);
    const nodeIp =
      file.NodeIp ??
      world.networkInterfaces.find((e) => e.Description === `ELB ${resource}`)?.PrivateIpAddress ??
      "10.0.0.10";
    const deliveredAt = new Date(
      Math.min(end.getTime() + DEFAULT_DELIVERY_DELAY_MS, Math.max(world.now.getTime(), end.getTime())),
    );
    const key = accessLogObjectKey({
      prefix: lb.Attributes["access_logs.s3.prefix"],
      accountId: world.accountId,
      region: world.region,
      lbResourceId: resource,
      end,
      nodeIp,
      random: stableLogKeyRandom(`${resource}|${file.End}|${nodeIp}|${i}`),
      deliveredAt,
    });
    // Level 1: several times faster than the default on large generated files; readers do not care.
    const body = gzipSync(lines.length ? `${lines.join("\n")}\n` : "", { level: 1 });
    if (bucket.Objects.has(key)) problems.add([...at, "End"], `a second file with the same key ${key}`);
    bucket.Objects.set(key, {
      Body: body,
      LastModified: deliveredAt,
      ETag: `"${createHash("md5").update(body).digest("hex")}"`,
    });
  });
}
