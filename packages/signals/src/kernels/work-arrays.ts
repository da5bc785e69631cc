/**
 * Reusable work arrays for the intermediate series of the batch functions (what they return
 * is always a fresh array). Allocating a typed array costs more than a pass of arithmetic over
 * it (the memory is zeroed and, for a long series, freshly mapped by the system), so each
 * batch function takes its temporaries from here, by a name saying what they hold. A name
 * belongs to one use; JavaScript runs one function at a time, so reuse never changes a result.
 */
const arrays = new Map<string, Float64Array>();

/** Work arrays up to this length (8 MB) are kept for reuse; longer ones are not retained. */
const MAX_KEPT_LENGTH = 1 << 20;

/** How many named work arrays are kept at most (the names are a small fixed vocabulary). */
const MAX_KEPT_ARRAYS = 256;

/** The work array named `name`, of `length` values (contents unspecified). */
export function workArray(name: string, length: number): Float64Array {
  const kept = arrays.get(name);
  if (kept !== undefined && kept.length >= length) {
    return kept.length === length ? kept : kept.subarray(0, length);
  }
  const fresh = new Float64Array(length);
  if (length <= MAX_KEPT_LENGTH) {
    if (arrays.size >= MAX_KEPT_ARRAYS) arrays.clear();
    arrays.set(name, fresh);
  }
  return fresh;
}
