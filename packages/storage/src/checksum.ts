import { createHash } from 'node:crypto';

/** The stored fields of a journal entry that the checksum covers. */
export interface ChecksummedEntry {
  readonly runId: string;
  readonly cycle: number;
  readonly kind: string;
  readonly timestamp: string;
  readonly clientOrderId: string | null;
  /** The payload's JSON text, exactly as stored. */
  readonly payloadText: string;
}

/**
 * SHA-256 (hex) of a journal entry's fields, serialised unambiguously as a JSON array. Stored
 * next to the entry and checked on every read, so a torn or altered row is detected instead
 * of being replayed.
 */
export function journalChecksum(entry: ChecksummedEntry): string {
  const canonical = JSON.stringify([
    entry.runId,
    entry.cycle,
    entry.kind,
    entry.timestamp,
    entry.clientOrderId,
    entry.payloadText,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
