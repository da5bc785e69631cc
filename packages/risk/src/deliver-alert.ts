import type { Alert, AlertSink, Logger } from '@quantpipe/core';

/**
 * Sends an alert without letting a failing sink break the risk check: a sink may be async
 * (a webhook, a database), and its failure must neither throw into the caller nor become an
 * unhandled rejection. Failures are logged.
 */
export function deliverAlert(sink: AlertSink, alert: Alert, logger: Logger): void {
  try {
    const result = sink.alert(alert);
    if (result !== undefined && typeof (result as Promise<void>).catch === 'function') {
      (result as Promise<void>).catch((error: unknown) => {
        logger.error({ err: error, title: alert.title }, 'alert sink failed');
      });
    }
  } catch (error) {
    logger.error({ err: error, title: alert.title }, 'alert sink failed');
  }
}
