/**
 * `array` if it holds `needed` elements, else a copy at least twice as long (1,024 at least):
 * columns that grow by appending stay amortised O(1) per element.
 */
export function grown<T extends Float64Array | Int32Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  let size = Math.max(1024, array.length);
  while (size < needed) size *= 2;
  const next = new (array.constructor as new (length: number) => T)(size);
  next.set(array);
  return next;
}
