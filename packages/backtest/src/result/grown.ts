/**
 * `array` if it holds `neededRows` rows of `stride` elements, else a copy with room for at least
 * twice as many rows (1,024 at least): columns that grow by appending stay amortised O(1) per
 * element. Columns of one log that start with the same rows and grow by rows keep the same row
 * capacity whatever their strides, so a log may test one of them before growing them all.
 */
export function grown<T extends Float64Array | Int32Array | Uint8Array>(
  array: T,
  neededRows: number,
  stride = 1,
): T {
  if (neededRows * stride <= array.length) return array;
  let rows = Math.max(1024, Math.floor(array.length / stride));
  while (rows < neededRows) rows *= 2;
  const next = new (array.constructor as new (length: number) => T)(rows * stride);
  next.set(array);
  return next;
}
