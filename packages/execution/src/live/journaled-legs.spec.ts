import { LEG_ADJUST, LEG_CLOSE, LEG_OPEN } from '../core/plan-orders-into';
import { SymbolTable } from '../core/symbol-table';
import type { LegPayload } from '../core/leg-payload';
import { JournaledLegs } from './journaled-legs';

const leg = (symbol: string, kind: LegPayload['leg'], increasesExposure: boolean): LegPayload => ({
  clientOrderId: `qp-r-2-${symbol}-${kind}`,
  symbol,
  leg: kind,
  side: 'sell',
  quantity: 5,
  timeInForce: 'day',
  increasesExposure,
});

describe('JournaledLegs', () => {
  it('reads an interrupted cycle’s journaled legs as the legs of an order flow', () => {
    const table = new SymbolTable(['AAA']);
    const legs = new JournaledLegs(
      [leg('BBB', 'close', false), leg('BBB', 'open', true), leg('AAA', 'adjust', true)],
      true,
      table,
    );
    expect(legs.keptCount).toBe(3);
    expect(legs.liquidation).toBe(true);
    expect([legs.kindAt(0), legs.kindAt(1), legs.kindAt(2)]).toEqual([
      LEG_CLOSE,
      LEG_OPEN,
      LEG_ADJUST,
    ]);
    expect([legs.increasesAt(0), legs.increasesAt(1), legs.increasesAt(2)]).toEqual([
      false,
      true,
      true,
    ]);
    // A symbol the table did not know is added to it.
    expect(table.find('BBB')).toBe(1);
    expect([legs.legSymbol(0), legs.legSymbol(1), legs.legSymbol(2)]).toEqual([1, 1, 0]);
    expect(new JournaledLegs([], false, table).keptCount).toBe(0);
  });
});
