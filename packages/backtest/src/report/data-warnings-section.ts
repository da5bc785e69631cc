import type { DataWarning } from '@quantpipe/core';
import { escapeHtml } from './escape-html';

/** Rows shown before the section says how many more there are. */
const MAX_WARNING_ROWS = 200;

const KIND_LABEL: Readonly<Record<DataWarning['kind'], string>> = {
  price_jump: 'price jump',
  range_jump: 'high/low range',
  benchmark_filled: 'benchmark filled',
  not_a_session: 'not an exchange session',
  missing_session: 'missing exchange session',
};

/**
 * The report's "Data warnings" section: implausible bars and the dates where the benchmark was
 * forward-filled, found when the market was opened. Empty when there are none.
 */
export function dataWarningsSection(warnings: readonly DataWarning[] | undefined): string {
  if (warnings === undefined || warnings.length === 0) return '';
  const counts = new Map<string, number>();
  for (const w of warnings) counts.set(w.kind, (counts.get(w.kind) ?? 0) + 1);
  const summary = [...counts]
    .map(([kind, n]) => `${n} ${KIND_LABEL[kind as DataWarning['kind']]}`)
    .join(', ');
  const rows = warnings
    .slice(0, MAX_WARNING_ROWS)
    .map(
      (w) =>
        `<tr><th>${escapeHtml(w.timestamp)}</th><td>${escapeHtml(w.symbol)}</td><td>${escapeHtml(KIND_LABEL[w.kind])}</td><td>${escapeHtml(w.detail)}</td></tr>`,
    )
    .join('');
  const more =
    warnings.length > MAX_WARNING_ROWS
      ? `<p class="caption">First ${MAX_WARNING_ROWS} of ${warnings.length} shown (all are in metrics.json).</p>`
      : '';
  return `<section id="data-warnings"><h2>Data warnings (${escapeHtml(summary)})</h2><p class="caption">Bars that passed validation but look wrong, and dates where the benchmark had no bar and its previous return was carried forward. Figures over these dates may not mean what they seem.</p><table class="metrics">${rows}</table>${more}</section>`;
}
