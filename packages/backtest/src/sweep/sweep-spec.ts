import { createHash } from 'node:crypto';
import { ConfigError, type JsonValue } from '@quantpipe/core';
import { z } from 'zod';
import { OBJECTIVE_NAMES } from './objectives';
import { canonicalParameterKey } from './parameter-keys';
import { describeIssue } from '../config/describe-issue';

/** Sweeps larger than this are refused (a typo in a grid, not a plan). */
export const MAX_SWEEP_JOBS = 100_000;

const parameterValues = z
  .array(z.json())
  .min(1, 'expected at least one value')
  .describe('The values of one key; every combination with the other keys is run.');

const walkForwardSchema = z
  .strictObject({
    mode: z
      .enum(['rolling', 'anchored'])
      .default('rolling')
      .describe(
        'rolling: every in-sample window has the same length; anchored: each starts at the first session and grows.',
      ),
    in_sample_sessions: z
      .number()
      .int()
      .min(20)
      .describe('Sessions of each in-sample window (the first, when anchored).'),
    out_of_sample_sessions: z
      .number()
      .int()
      .min(5)
      .describe('Sessions of each out-of-sample window, right after its in-sample window.'),
    step_sessions: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Sessions from one fold to the next (default: out_of_sample_sessions).'),
  })
  .superRefine((wf, ctx) => {
    if (wf.step_sessions !== undefined && wf.step_sessions < wf.out_of_sample_sessions)
      ctx.addIssue({
        code: 'custom',
        path: ['step_sessions'],
        message: `below out_of_sample_sessions (${wf.out_of_sample_sessions}): out-of-sample windows would overlap and could not be stitched`,
      });
  });

const idPattern = /^[A-Za-z0-9_.-]{1,48}$/;

const sweepSpecObject = z.strictObject({
  name: z
    .string()
    .regex(idPattern, 'expected 1-48 letters, digits, _ . -')
    .optional()
    .describe('Sweep id (default sw-<first 12 hex digits of the spec SHA-256>).'),
  base: z
    .record(z.string(), z.json())
    .default({})
    .describe('The backtest config every job starts from (keys as in a backtest config file).'),
  grid: z
    .record(z.string(), parameterValues)
    .optional()
    .describe('Keys and their values: the Cartesian product is run.'),
  list: z
    .array(z.record(z.string(), z.json()))
    .min(1)
    .optional()
    .describe('Explicit parameter sets; with a grid, each is combined with every grid point.'),
  walk_forward: walkForwardSchema
    .optional()
    .describe('Walk-forward folds: choose in-sample, measure out-of-sample.'),
  objective: z
    .enum(OBJECTIVE_NAMES)
    .default('sharpe')
    .describe('What the best configuration maximises.'),
  heatmap: z
    .strictObject({ x: z.string(), y: z.string() })
    .optional()
    .describe("Two parameter keys: the report's heatmap of the objective over them."),
  top: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(10)
    .describe('Configurations in the top list of the summary and report.'),
  pbo_partitions: z
    .number()
    .int()
    .min(2)
    .max(20)
    .refine((n) => n % 2 === 0, 'expected an even number')
    .default(16)
    .describe('S, the number of row groups of the PBO cross-validation (even, 2..20).'),
});

/** A validated sweep spec, parameter keys in canonical form (`pipeline.momentum_fast`). */
export type SweepSpec = z.output<typeof sweepSpecObject>;
/** What a sweep file may give. */
export type SweepSpecInput = z.input<typeof sweepSpecObject>;
/** A sweep's walk-forward settings. */
export type WalkForwardSpec = NonNullable<SweepSpec['walk_forward']>;

function canonicalRecord<T>(
  record: Readonly<Record<string, T>>,
  where: string,
  ctx: z.core.$RefinementCtx,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(record)) {
    try {
      const canonical = canonicalParameterKey(key);
      if (canonical in out)
        ctx.addIssue({ code: 'custom', path: [where, key], message: `repeats ${canonical}` });
      out[canonical] = value;
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: [where, key], message: (error as Error).message });
    }
  }
  return out;
}

/** The sweep spec schema: a sweep file's keys, with the parameter keys checked and named. */
export const sweepSpecSchema = sweepSpecObject.transform((spec, ctx) => {
  const grid = spec.grid === undefined ? undefined : canonicalRecord(spec.grid, 'grid', ctx);
  const list = spec.list?.map((set, i) => canonicalRecord(set, `list.${i}`, ctx));
  const keys = new Set([...Object.keys(grid ?? {}), ...(list ?? []).flatMap(Object.keys)]);
  if (grid && list) {
    for (const [i, set] of list.entries())
      for (const key of Object.keys(set))
        if (key in grid)
          ctx.addIssue({
            code: 'custom',
            path: ['list', i, key],
            message: `is in the grid too: give each key in one of them`,
          });
  }
  if (spec.walk_forward) {
    for (const key of ['start', 'end', 'warmup_sessions'])
      if (keys.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['walk_forward'],
          message: `the folds set the period: "${key}" cannot be a parameter`,
        });
  }
  let heatmap = spec.heatmap;
  if (heatmap) {
    try {
      heatmap = { x: canonicalParameterKey(heatmap.x), y: canonicalParameterKey(heatmap.y) };
      for (const axis of ['x', 'y'] as const)
        if (!keys.has(heatmap[axis]))
          ctx.addIssue({
            code: 'custom',
            path: ['heatmap', axis],
            message: `${heatmap[axis]} is not a parameter of this sweep`,
          });
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['heatmap'], message: (error as Error).message });
    }
  }
  const sets =
    (grid ? Object.values(grid).reduce((n, v) => n * v.length, 1) : 1) * (list?.length ?? 1);
  if (sets > MAX_SWEEP_JOBS)
    ctx.addIssue({
      code: 'custom',
      path: ['grid'],
      message: `${sets} configurations exceed the limit of ${MAX_SWEEP_JOBS}`,
    });
  return {
    ...spec,
    ...(grid === undefined ? {} : { grid }),
    ...(list === undefined ? {} : { list }),
    ...(heatmap === undefined ? {} : { heatmap }),
  };
});

/**
 * Validates a sweep spec (from a JSON file or code) and fills in its defaults. The base config
 * is checked job by job, with each job's parameters: a combination the backtest refuses is a
 * failed job, not a refused sweep.
 * @throws ConfigError naming every offending key.
 */
export function parseSweepSpec(input: unknown): SweepSpec {
  const result = sweepSpecSchema.safeParse(input ?? {});
  if (result.success) return result.data as SweepSpec;
  const issues = result.error.issues;
  const first = issues[0];
  const key = first?.path.map(String).join('.') || 'sweep';
  throw new ConfigError(key, `invalid sweep spec: ${issues.map(describeIssue).join('; ')}`, {
    context: { issues: issues.map(describeIssue) },
  });
}

/** JSON with object keys sorted, so equal specs give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 (hex) of a validated spec's canonical JSON. */
export function sweepSpecSha256(spec: SweepSpec): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex');
}

/** The sweep's id: its `name`, else `sw-` and the first 12 hex digits of the spec's SHA-256. */
export function sweepIdOf(spec: SweepSpec): string {
  return spec.name ?? `sw-${sweepSpecSha256(spec).slice(0, 12)}`;
}

/** The spec as JSON (for the database). */
export function sweepSpecJson(spec: SweepSpec): JsonValue {
  return JSON.parse(JSON.stringify(spec)) as JsonValue;
}
