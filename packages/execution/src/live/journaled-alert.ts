import type { AlertLevel, AlertSink, Logger } from '@quantpipe/core';
import type { JournalWriter } from './journal-writer';

/**
 * Journals an alert (stamped with the journal's clock) at `cycle`, then sends it to `sink`; a
 * sink that fails is logged, not raised: the journal already holds the alert.
 */
export async function sendJournaledAlert(
  journal: JournalWriter,
  sink: AlertSink,
  logger: Logger,
  cycle: number,
  alert: {
    readonly level: AlertLevel;
    readonly title: string;
    readonly message: string;
    readonly context?: Record<string, unknown>;
  },
): Promise<void> {
  const stamped = {
    level: alert.level,
    title: alert.title,
    message: alert.message,
    timestamp: journal.nowIso(),
    ...(alert.context ? { context: alert.context } : {}),
  };
  await journal.append('alert', cycle, stamped);
  try {
    await sink.alert(stamped);
  } catch (error) {
    logger.error({ err: String(error), title: alert.title }, 'alert sink failed');
  }
}
