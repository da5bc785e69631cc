/// <reference lib="dom" />
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Alert, Position } from '@quantpipe/core';
import { TraderMetrics } from './metrics';
import { startOpsServer } from './ops-server';
import { chromiumAvailable, launchChromium } from './testing/chromium';
import { filledOrder, opsState } from './testing/ops-fixtures';

/** Test artefacts (git-ignored). */
const ARTEFACTS = join(__dirname, '..', '..', '..', 'reports', 'trader');

const T0 = Date.parse('2024-07-09T18:00:00Z');
const DAY_MS = 86_400_000;

/** A deterministic equity path (a small linear congruential walk): 90 sessions. */
function equityPath(): { timestamp: string; equityUsd: number }[] {
  let seed = 7;
  let equity = 1_000_000;
  const out: { timestamp: string; equityUsd: number }[] = [];
  for (let i = 89; i >= 0; i -= 1) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    equity *= 1 + (seed / 2_147_483_648 - 0.47) * 0.02;
    out.push({ timestamp: new Date(T0 - i * DAY_MS).toISOString(), equityUsd: equity });
  }
  return out;
}

const hasChromium = chromiumAvailable();
if (!hasChromium) console.warn('skipping the dashboard browser check: chromium is not installed');
const maybe = hasChromium ? it : it.skip;

describe('dashboard in a real browser', () => {
  maybe(
    'loads, draws the equity and drawdown charts, shows a new fill live, with no console errors',
    async () => {
      mkdirSync(ARTEFACTS, { recursive: true });
      const now = { value: T0 };
      const state = opsState(now);
      const path = equityPath();
      state.seedEquity(path.slice(0, -1));
      const lastEquity = (path[path.length - 1] as { equityUsd: number }).equityUsd;
      const at = new Date(T0 - 60_000).toISOString();
      const a = filledOrder('SYNA', 120, 51.25, at);
      const positions: Position[] = [
        {
          symbol: 'SYNA',
          quantity: 120,
          avgEntryPriceUsd: 51.25,
          currentPriceUsd: 52.1,
          marketValueUsd: 6252,
          unrealizedPnlUsd: 102,
        },
      ];
      const alert: Alert = {
        level: 'WARNING',
        title: 'BROKER RETRYING',
        message: 'sim: attempt 1 failed (429); retrying in 500 ms',
        timestamp: at,
      };
      state.alert(alert);
      const summary = {
        cycle: 1,
        status: 'traded',
        reason: null,
        targets: 2,
        holdings: 1,
        ordersPlanned: 1,
        ordersSent: 1,
        ordersFilled: 1,
        ordersSkipped: 0,
        skippedReasons: {},
        dailyPnlUsd: 1200,
        totalPnlUsd: 9000,
        equityUsd: lastEquity,
        drawdown: -0.012,
        maxDrawdown: -0.15,
        dailyPnlPct: 0.0012,
        maxDailyLoss: -0.05,
        leverage: 1.21,
        minLeverage: 1,
        maxLeverage: 3,
        killSwitch: false,
        hedge: 'INACTIVE',
      };
      state.recordCycle({
        timestamp: at,
        equityUsd: lastEquity,
        orders: [a.order],
        fills: [a.fill],
        positions,
        lastCycle: {
          endedAt: at,
          durationMs: 1800,
          outcome: 'traded',
          summary,
          line: 'cycle 1 traded | targets 2 / holdings 1 | orders sent 1, filled 1, skipped 0 | P&L day +$1,200 (0.12%, limit -5.0%), total +$9,000 | equity $1,009,000 | drawdown -1.2% (limit -15.0%) | leverage 1.21x (1.0-3.0x) | kill switch off | hedge INACTIVE',
        },
        killSwitch: { tripped: false, reason: null },
      });
      state.update({
        phase: 'waiting',
        nextCycleAt: new Date(T0 + 3_600_000).toISOString(),
        lastHeartbeatAt: new Date(T0).toISOString(),
      });
      const server = await startOpsServer({
        host: '127.0.0.1',
        port: 0,
        state,
        metrics: new TraderMetrics(),
        healthGraceMs: 300_000,
        now: () => now.value,
      });
      const browser = await launchChromium();
      try {
        const page = await browser.context.newPage();
        const errors: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(e.message));
        const response = await page.goto(server.url, { waitUntil: 'load' });
        expect(response?.status()).toBe(200);
        await page.waitForSelector('[data-testid="live"].ok');
        expect(await page.title()).toBe('quantpipe trader');
        expect(await page.textContent('[data-testid="run-id"]')).toBe('ops');
        expect(await page.textContent('[data-testid="kill-switch"]')).toBe('off');
        // Both charts are uPlot canvases with something drawn on them.
        for (const id of ['equity-chart', 'drawdown-chart']) {
          const painted = await page.$eval(`#${id} canvas`, (canvas) => {
            const c = canvas as HTMLCanvasElement;
            const ctx = c.getContext('2d');
            if (!ctx) return { width: 0, inked: 0 };
            const data = ctx.getImageData(0, 0, c.width, c.height).data;
            let inked = 0;
            for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) inked += 1;
            return { width: c.getBoundingClientRect().width, inked };
          });
          expect(painted.width).toBeGreaterThan(300);
          expect(painted.inked).toBeGreaterThan(1000);
        }
        expect(await page.$$eval('#positions tr', (rows) => rows.length)).toBe(1);
        expect(await page.textContent('#fills')).toContain(a.fill.fillId);
        expect(await page.textContent('#alerts')).toContain('BROKER RETRYING');
        expect(await page.textContent('#risk')).toContain('-15.00%');
        const rendersBefore = Number(await page.getAttribute('body', 'data-renders'));

        // A new fill arrives: the page shows it without a reload.
        now.value = T0 + 3_600_000;
        const b = filledOrder('SYNB', -40, 18.5, new Date(now.value).toISOString(), 2);
        state.recordCycle({
          timestamp: new Date(now.value).toISOString(),
          equityUsd: lastEquity * 1.004,
          orders: [b.order],
          fills: [b.fill],
          positions,
          lastCycle: {
            endedAt: new Date(now.value).toISOString(),
            durationMs: 1700,
            outcome: 'traded',
            summary: { ...summary, cycle: 2 },
            line: 'cycle 2 traded | targets 2 / holdings 1 | orders sent 1, filled 1, skipped 0 | P&L day +$1,200 (0.12%, limit -5.0%), total +$9,000 | equity $1,009,000 | drawdown -1.2% (limit -15.0%) | leverage 1.21x (1.0-3.0x) | kill switch off | hedge INACTIVE',
          },
          killSwitch: { tripped: false, reason: null },
        });
        await page.waitForFunction(
          (id) => document.getElementById('fills')?.textContent?.includes(id) === true,
          b.fill.fillId,
        );
        expect(await page.$$eval('#fills tr', (rows) => rows.length)).toBe(2);
        expect(Number(await page.getAttribute('body', 'data-renders'))).toBeGreaterThan(
          rendersBefore,
        );
        expect(errors).toEqual([]);
        const shot = join(ARTEFACTS, 'dashboard.png');
        await page.screenshot({ path: shot, fullPage: true });
        if (process.env['UPDATE_DOCS_SCREENSHOT'] === '1')
          copyFileSync(shot, join(__dirname, '..', 'docs', 'dashboard.png'));
      } finally {
        await browser.close();
        await server.close();
      }
    },
    60_000,
  );
});
