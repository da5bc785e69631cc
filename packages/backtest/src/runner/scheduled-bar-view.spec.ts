import type { Bar } from '@quantpipe/core';
import { ScheduledBarView } from './scheduled-bar-view';

const bars = (symbol: string, n: number): Bar[] =>
  Array.from({ length: n }, (_, i) => ({
    symbol,
    timestamp: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
    open: 10 + i,
    high: 11 + i,
    low: 9 + i,
    close: 10 + i,
    volume: 1_000,
  }));

describe('ScheduledBarView', () => {
  it('holds a series’ bars from its first visible one up to each advance', () => {
    const all = bars('AAA', 10);
    const view = new ScheduledBarView();
    view.track('AAA', all, 3);
    expect(view.has('AAA')).toBe(false);
    expect(view.bars('AAA')).toEqual([]);
    view.advance('AAA', 6);
    expect(view.bars('AAA')).toEqual(all.slice(3, 6));
    expect(view.newBars('AAA')).toEqual(all.slice(3, 6));
    expect(view.has('AAA')).toBe(true);
    view.advance('AAA', 8);
    expect(view.bars('AAA')).toEqual(all.slice(3, 8));
    expect(view.newBars('AAA')).toEqual(all.slice(6, 8));
    expect(view.bars('AAA')[0]).toBe(all[3]); // the bars themselves, not copies
  });

  it('an advance that adds nothing leaves no new bars; it never moves back', () => {
    const all = bars('AAA', 5);
    const view = new ScheduledBarView();
    view.track('AAA', all, 0);
    view.advance('AAA', 4);
    view.advance('AAA', 4);
    expect(view.newBars('AAA')).toEqual([]);
    view.advance('AAA', 2);
    expect(view.bars('AAA')).toEqual(all.slice(0, 4));
    expect(view.newBars('AAA')).toEqual([]);
  });

  it('an untracked symbol has no bars, and advancing it does nothing', () => {
    const view = new ScheduledBarView();
    view.advance('ZZZ', 5);
    expect(view.bars('ZZZ')).toEqual([]);
    expect(view.newBars('ZZZ')).toEqual([]);
    expect(view.has('ZZZ')).toBe(false);
  });

  it('newBars is a copy: the strategy cannot change what is held', () => {
    const view = new ScheduledBarView();
    view.track('AAA', bars('AAA', 3), 0);
    view.advance('AAA', 3);
    const fresh = view.newBars('AAA') as Bar[];
    fresh.pop();
    expect(view.newBars('AAA')).toHaveLength(3);
  });
});
