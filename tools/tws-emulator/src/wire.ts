/**
 * TWS API framing (the "V100+" protocol): after the `API\0` greeting every message is a
 * 4-byte big-endian length followed by NUL-terminated text fields.
 */

/** A field as the emulator writes it. */
export type WireField = string | number | boolean | undefined | null;

/** Encodes one message (fields NUL-terminated, length-prefixed). */
export function encodeMessage(fields: readonly WireField[]): Buffer {
  const text = fields
    .map((f) =>
      f === undefined || f === null ? '' : typeof f === 'boolean' ? (f ? '1' : '0') : String(f),
    )
    .map((f) => `${f}\0`)
    .join('');
  const body = Buffer.from(text, 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/** What the reader produced from the bytes received so far. */
export type WireEvent =
  | { readonly kind: 'hello'; readonly minVersion: number; readonly maxVersion: number }
  | { readonly kind: 'message'; readonly fields: string[] }
  | { readonly kind: 'invalid'; readonly reason: string };

/** Incremental reader of the client side of the protocol. */
export class WireReader {
  private buffer = Buffer.alloc(0);
  private greeted = false;

  /** Feeds received bytes; returns the complete events they finish. */
  push(chunk: Buffer): WireEvent[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const out: WireEvent[] = [];
    if (!this.greeted) {
      if (this.buffer.length < 8) return out;
      if (this.buffer.subarray(0, 4).toString('latin1') !== 'API\0') {
        return [{ kind: 'invalid', reason: 'expected the API\\0 greeting' }];
      }
      const len = this.buffer.readUInt32BE(4);
      if (this.buffer.length < 8 + len) return out;
      const text = this.buffer.subarray(8, 8 + len).toString('utf8');
      this.buffer = this.buffer.subarray(8 + len);
      this.greeted = true;
      const m = /^v(\d+)(?:\.\.(\d+))?/.exec(text);
      if (!m) return [{ kind: 'invalid', reason: `bad version range ${JSON.stringify(text)}` }];
      out.push({ kind: 'hello', minVersion: Number(m[1]), maxVersion: Number(m[2] ?? m[1]) });
    }
    while (this.buffer.length >= 4) {
      const len = this.buffer.readUInt32BE(0);
      if (this.buffer.length < 4 + len) break;
      const text = this.buffer.subarray(4, 4 + len).toString('utf8');
      this.buffer = this.buffer.subarray(4 + len);
      const fields = text.split('\0');
      if (fields[fields.length - 1] === '') fields.pop();
      out.push({ kind: 'message', fields });
    }
    return out;
  }
}
