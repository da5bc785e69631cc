import { sampleResult } from '../testing/sample-result';
import { buildHtmlReport, escapeHtml } from './html-report';

describe('buildHtmlReport', () => {
  it('renders every chart as inline SVG with no scripts and escapes text', async () => {
    const html = await buildHtmlReport(sampleResult(260), [
      { label: 'Sharpe <ratio>', text: '1.23' },
    ]);
    expect(html).not.toMatch(/<script/i);
    for (const id of ['equity', 'drawdown', 'exposure', 'ic', 'health', 'weights']) {
      const start = html.indexOf(`id="chart-${id}"`);
      expect(start).toBeGreaterThan(0);
      const svgAt = html.indexOf('<svg', start);
      const end = html.indexOf('</section>', start);
      expect(svgAt).toBeGreaterThan(start);
      expect(svgAt).toBeLessThan(end);
      // A drawn chart has path marks with real geometry.
      expect(html.slice(svgAt, end)).toMatch(/<path[^>]* d="M[\d.-]+,[\d.-]+L/);
    }
    expect(html).toContain('Sharpe &lt;ratio&gt;');
    expect(html).toContain('a &lt;test&gt; alert');
    expect(html).toContain('Hybrid composite');
    expect(html).toContain('<table class="monthly">');
  });

  it('shows a note instead of a broken chart when a measure has no finite value yet', async () => {
    const sample = sampleResult(120);
    const result = {
      ...sample,
      signalStates: sample.signalStates.map((s) => ({ ...s, health: { Beta: Number.NaN } })),
    };
    const html = await buildHtmlReport(result, []);
    expect(html).not.toMatch(/Infinity|NaN/);
    const start = html.indexOf('id="chart-health"');
    const end = html.indexOf('</section>', start);
    expect(html.slice(start, end)).toContain('class="no-data"');
    expect(html.slice(start, end)).not.toContain('<svg');
  });

  it('escapes all HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});
