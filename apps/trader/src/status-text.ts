import type { JsonValue } from '@quantpipe/core';
import type { TraderStatus } from './admin-commands';

function field(value: JsonValue | null | undefined, key: string): JsonValue | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value[key];
  return undefined;
}

function money(value: JsonValue | undefined): string {
  return typeof value === 'number'
    ? `$${value.toLocaleString('en-US', { maximumFractionDigits: 0 })}`
    : 'n/a';
}

const LIVENESS_TEXT: Record<TraderStatus['run']['liveness'], string> = {
  alive: 'alive',
  lost: 'LOST: marked running but its heartbeat expired; the process is gone',
  unknown: 'no heartbeat recorded',
  stopped: 'stopped',
  failed: 'failed',
};

/** `trader status --text`: the status for people, a few lines. */
export function formatStatus(status: TraderStatus, nowMs = Date.now()): string {
  const run = status.run;
  const lines: string[] = [];
  lines.push(
    `run ${status.runId}: ${run.status}${run.mode ? ` (${run.mode})` : ''}, started ${run.startedAt}${run.stoppedAt ? `, stopped ${run.stoppedAt}` : ''}`,
  );
  const age =
    run.heartbeatAt !== undefined
      ? `${Math.max(0, Math.round((nowMs - Date.parse(run.heartbeatAt)) / 1000))} s ago`
      : 'never';
  const sched = status.schedule;
  lines.push(
    `trader: ${LIVENESS_TEXT[run.liveness]} (last heartbeat ${age}${sched ? `, ${sched.phase}` : ''})`,
  );
  if (sched) {
    lines.push(`schedule: ${sched.schedule}`);
    if (sched.nextCycleAt) {
      // On the trader's clock (the broker's or a replay's): from what it said when it wrote.
      const leftMs =
        Date.parse(sched.nextCycleAt) -
        Date.parse(sched.traderNow) -
        (nowMs - Date.parse(sched.writtenAt));
      const when =
        leftMs >= 0
          ? `in ${Math.round(leftMs / 60_000)} min`
          : `due ${Math.round(-leftMs / 1000)} s ago`;
      lines.push(`next cycle: ${sched.nextCycleAt}${run.liveness === 'alive' ? ` (${when})` : ''}`);
    }
    if (sched.lastCycle)
      lines.push(
        `last cycle: ${sched.lastCycle.endedAt} ${sched.lastCycle.outcome}: ${sched.lastCycle.line}`,
      );
  }
  const tripped = field(status.killSwitch, 'tripped') === true;
  const reason = field(status.killSwitch, 'reason');
  lines.push(
    `kill switch: ${tripped ? `TRIPPED${typeof reason === 'string' ? ` (${reason})` : ''}` : 'off'}`,
  );
  if (status.portfolio) {
    lines.push(
      `portfolio at ${String(field(status.portfolio, 'timestamp'))}: equity ${money(field(status.portfolio, 'equityUsd'))}, cash ${money(field(status.portfolio, 'cashUsd'))}`,
    );
  }
  const positions = field(status.positions, 'positions');
  if (Array.isArray(positions)) lines.push(`positions: ${positions.length}`);
  if (status.recentAlerts.length > 0) {
    lines.push('recent alerts:');
    for (const a of status.recentAlerts.slice(-5))
      lines.push(
        `  ${String(field(a, 'timestamp'))} ${String(field(a, 'level'))} ${String(field(a, 'title'))}: ${String(field(a, 'message'))}`,
      );
  }
  if (status.readOnly) lines.push(`(database opened read-only: ${status.readOnly})`);
  return `${lines.join('\n')}\n`;
}
