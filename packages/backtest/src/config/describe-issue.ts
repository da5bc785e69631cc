import type { z } from 'zod';

/**
 * One schema issue as a backtest config or sweep spec error states it: `"key": message`, or
 * `unknown key "pipeline.foo"` for keys the schema does not know.
 */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.map(String).join('.') || '(root)';
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.length > 0 ? `${key}.` : '';
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${prefix}${k}"`).join(', ')}`;
  }
  return `"${key}": ${issue.message}`;
}
