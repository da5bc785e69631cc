import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { engineConfigKeys, simulationKeys } from '@quantpipe/execution';
import { tailHedgeConfigSchema } from '@quantpipe/risk';
import { compositeStrategyKeys } from '@quantpipe/strategy';
import { z } from 'zod';
import { tradingConfigSchema } from './config-schema';

interface NumberJsonSchema {
  readonly type?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
}

const shown = (x: number): string => (x >= 1e9 ? x.toExponential().replace('e+', 'e') : String(x));

/** A numeric key's range as its doc writes it: `(0, 1]`, `[2, 5000]`, `>= 1`. */
function rangeText(schema: z.ZodType): string | undefined {
  const j = z.toJSONSchema(schema, { io: 'input' }) as NumberJsonSchema;
  if (j.type !== 'number' && j.type !== 'integer') return undefined;
  const lo = j.exclusiveMinimum ?? j.minimum;
  const rawHi = j.exclusiveMaximum ?? j.maximum;
  const hi = rawHi === Number.MAX_SAFE_INTEGER ? undefined : rawHi;
  const open = j.exclusiveMinimum !== undefined ? '(' : '[';
  const close = j.exclusiveMaximum !== undefined ? ')' : ']';
  if (lo !== undefined && hi !== undefined) return `${open}${shown(lo)}, ${shown(hi)}${close}`;
  if (lo !== undefined) return `${j.exclusiveMinimum !== undefined ? '>' : '>='} ${shown(lo)}`;
  return hi === undefined ? '' : `${j.exclusiveMaximum !== undefined ? '<' : '<='} ${shown(hi)}`;
}

describe('config key docs', () => {
  const libraryKeys: Record<string, z.ZodType> = {
    ...compositeStrategyKeys,
    ...engineConfigKeys,
    ...simulationKeys,
    ...tailHedgeConfigSchema.shape,
  };

  it.each(Object.keys(libraryKeys).map((key) => [key]))(
    '%s: the doc states the range the schema checks',
    (key) => {
      const schema = libraryKeys[key] as z.ZodType;
      const range = rangeText(schema);
      const doc = schema.description ?? '';
      if (range !== undefined) expect(doc).toContain(range);
      const json = z.toJSONSchema(schema, { io: 'input' }) as NumberJsonSchema;
      if (json.type === 'integer') expect(doc).toMatch(/integer/);
    },
  );

  it("the trader's README lists every key of trading_config.json", () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    for (const key of Object.keys(tradingConfigSchema.shape))
      expect([key, readme.includes(`\`${key}\``)]).toEqual([key, true]);
  });
});
