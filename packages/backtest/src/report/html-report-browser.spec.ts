import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { parseBacktestConfig } from '../config/backtest-config';
import { computeBacktestMetrics, metricLines } from '../output/performance';
import { runBacktest } from '../runner/run-backtest';
import { chromiumAvailable, launchChromium } from '../testing/chromium';
import { sampleResult } from '../testing/sample-result';
import { buildHtmlReport } from './html-report';

/** Test artefacts (git-ignored): the reports and their screenshots. */
const ARTEFACTS = join(__dirname, '..', '..', '..', '..', 'reports', 'backtest');

const CHART_IDS = [
  'chart-equity',
  'chart-drawdown',
  'chart-exposure',
  'chart-ic',
  'chart-health',
  'chart-weights',
  'chart-attribution',
];

/** The report of a small real run (engine, full pipeline, hybrid). */
async function realReport(): Promise<string> {
  const config = parseBacktestConfig({
    symbols: ['SYNA', 'SYND'],
    synthetic: { sessions: 420 },
    warmup_sessions: 300,
  });
  const { result, audit } = await runBacktest({ config, runId: 'browser-check' });
  return buildHtmlReport(result, metricLines(computeBacktestMetrics(result, audit)));
}

/** Opens a report, checks its charts and console, and saves a full-page screenshot. */
async function checkReport(
  context: BrowserContext,
  name: string,
  html: string,
  chartIds: readonly string[],
): Promise<void> {
  const htmlPath = join(ARTEFACTS, `${name}.html`);
  writeFileSync(htmlPath, html);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
  const charts = await page.$$eval('section.chart', (sections) =>
    sections.map((s) => {
      const svg = s.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return {
        id: s.id,
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        marks: svg ? svg.querySelectorAll('path, rect, line').length : 0,
      };
    }),
  );
  expect(charts.map((c) => c.id)).toEqual(chartIds);
  for (const c of charts) {
    expect(c.width).toBeGreaterThan(300);
    expect(c.height).toBeGreaterThan(100);
    expect(c.marks).toBeGreaterThan(5);
  }
  expect(errors).toEqual([]);
  await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
  await page.close();
}

const hasChromium = chromiumAvailable();
if (!hasChromium) {
  console.warn('skipping the browser check of the HTML report: chromium is not installed');
}
const maybe = hasChromium ? it : it.skip;

describe('HTML report in a real browser', () => {
  maybe(
    'shows every chart as a non-empty SVG, with no console errors, and saves a screenshot',
    async () => {
      mkdirSync(ARTEFACTS, { recursive: true });
      const reports: [string, string, readonly string[]][] = [
        [
          'sample-report',
          await buildHtmlReport(sampleResult(400), [{ label: 'Sharpe', text: '1.00' }]),
          CHART_IDS,
        ],
        ['run-report', await realReport(), CHART_IDS],
      ];
      const browser = await launchChromium();
      try {
        for (const [name, html, ids] of reports)
          await checkReport(browser.context, name, html, ids);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
