import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumAvailable, launchChromium } from '../testing/chromium';
import { sampleResult } from '../testing/sample-result';
import { buildHtmlReport } from './html-report';

/** Test artefacts (git-ignored): the report and its screenshot. */
const ARTEFACTS = join(__dirname, '..', '..', '..', '..', 'reports', 'backtest');

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
      const htmlPath = join(ARTEFACTS, 'sample-report.html');
      writeFileSync(
        htmlPath,
        await buildHtmlReport(sampleResult(400), [{ label: 'Sharpe', text: '1.00' }]),
      );
      const browser = await launchChromium();
      try {
        const page = await browser.context.newPage();
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
        expect(charts.map((c) => c.id)).toEqual([
          'chart-equity',
          'chart-drawdown',
          'chart-exposure',
          'chart-ic',
          'chart-health',
          'chart-weights',
        ]);
        for (const c of charts) {
          expect(c.width).toBeGreaterThan(300);
          expect(c.height).toBeGreaterThan(100);
          expect(c.marks).toBeGreaterThan(5);
        }
        expect(errors).toEqual([]);
        const shot = join(ARTEFACTS, 'sample-report.png');
        await page.screenshot({ path: shot, fullPage: true });
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
