import type { JsonValue } from '@quantpipe/core';

/**
 * A JSON copy of a value as `JSON.stringify` would write it (non-finite numbers become null,
 * undefined members are dropped), built directly: journal payloads are made on every cycle.
 */
export function toJson(value: unknown): JsonValue {
  if (value === null) return null;
  switch (typeof value) {
    case 'number':
      // -0 is written as 0 by JSON.stringify.
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case 'string':
    case 'boolean':
      return value;
    case 'object': {
      if (Array.isArray(value)) {
        const out: JsonValue[] = new Array<JsonValue>(value.length);
        for (let i = 0; i < value.length; i++) {
          const v: unknown = value[i];
          out[i] = v === undefined || typeof v === 'function' ? null : toJson(v);
        }
        return out;
      }
      const out: { [key: string]: JsonValue } = {};
      for (const key of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[key];
        if (v === undefined || typeof v === 'function') continue;
        out[key] = toJson(v);
      }
      return out;
    }
    default:
      return null;
  }
}
