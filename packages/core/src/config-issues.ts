import { ConfigError } from './errors';

/**
 * One problem found in a configuration: where (`path`, e.g. `['symbols', 2]`) and what. The
 * shape is that of a zod issue, so a schema's issues can be passed as they are, while this
 * package stays free of dependencies. Cross-field rules return these too.
 */
export interface ConfigIssue {
  /** `unrecognized_keys` for unknown keys (listed in `keys`), anything else otherwise. */
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** The unknown keys of an `unrecognized_keys` issue. */
  readonly keys?: readonly string[];
  /** The offending value, when the validator reports it. */
  readonly input?: unknown;
}

/** A config path as a key name: `symbols[2]`, `pipeline.max_leverage`. */
export function configKeyOf(path: readonly PropertyKey[]): string {
  let key = '';
  for (const part of path) {
    if (typeof part === 'number') key += `[${part}]`;
    else key += key === '' ? String(part) : `.${String(part)}`;
  }
  return key;
}

function shown(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Each issue as `{ key, message }`; an issue naming several unknown keys gives one per key. */
export function describeConfigIssues(
  issues: readonly ConfigIssue[],
): { readonly key: string; readonly message: string }[] {
  const out: { key: string; message: string }[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.keys && issue.keys.length > 0) {
      for (const k of issue.keys)
        out.push({ key: configKeyOf([...issue.path, k]), message: 'unknown key' });
      continue;
    }
    // A cross-field rule's input is the whole object: its message says what is wrong.
    const got = 'input' in issue && issue.code !== 'custom' ? `, got ${shown(issue.input)}` : '';
    out.push({ key: configKeyOf(issue.path) || 'config', message: `${issue.message}${got}` });
  }
  return out;
}

/**
 * The {@link ConfigError} for a list of issues: it names the first offending key and lists
 * every problem in its message (`max_drawdown: Too big: expected number to be <0, got 0.2;
 * hedge_size: ...`); `context.issues` holds them one by one.
 */
export function configErrorFromIssues(issues: readonly ConfigIssue[]): ConfigError {
  const described = describeConfigIssues(issues);
  const first = described[0] ?? { key: 'config', message: 'invalid configuration' };
  const rest = described.slice(1).map((d) => `${d.key}: ${d.message}`);
  return new ConfigError(first.key, [first.message, ...rest].join('; '), {
    context: { issues: described.map((d) => `${d.key}: ${d.message}`) },
  });
}
