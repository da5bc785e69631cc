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

/** `trader status --text`: the status for people, a few lines. */
export function formatStatus(status: TraderStatus, nowMs = Date.now()): string {
  const live = status.liveness;
  const lines: string[] = [];
  const run = status.run;
  lines.push(
    `run ${status.runId}: ${run ? `${run.status}${run.mode ? ` (${run.mode})` : ''}, started ${run.startedAt}${run.stoppedAt ? `, stopped ${run.stoppedAt}` : ''}` : 'never started'}`,
  );
  const age = live.heartbeatAgeSeconds !== null ? `${live.heartbeatAgeSeconds} s ago` : 'never';
  const livenessText: Record<typeof live.state, string> = {
    alive: 'alive',
    stale: 'STALE: no heartbeat for a while; the process is probably gone',
    stopped: 'stopped',
    unknown: 'no heartbeat recorded',
  };
  lines.push(
    `trader: ${livenessText[live.state]} (last heartbeat ${age}${live.phase ? `, ${live.phase}` : ''})`,
  );
  if (live.schedule) lines.push(`schedule: ${live.schedule}`);
  if (live.nextCycleAt) {
    const inMin = Math.round((Date.parse(live.nextCycleAt) - nowMs) / 60_000);
    lines.push(
      `next cycle: ${live.nextCycleAt}${live.state === 'alive' ? ` (in ${inMin} min)` : ''}`,
    );
  }
  if (live.lastCycle)
    lines.push(
      `last cycle: ${live.lastCycle.endedAt} ${live.lastCycle.outcome}: ${live.lastCycle.line}`,
    );
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
  return `${lines.join('\n')}\n`;
}
