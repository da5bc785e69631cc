import { LEG_ADJUST, LEG_CLOSE, LEG_OPEN } from '../core/plan-orders-into';
import type { FlowLegs } from '../core/order-flow';
import type { SymbolTable } from '../core/symbol-table';
import type { LegPayload } from './order-submitter';

const KIND = { adjust: LEG_ADJUST, close: LEG_CLOSE, open: LEG_OPEN } as const;

/** Legs as journaled in a decision (an interrupted cycle being finished), for an OrderFlow. */
export class JournaledLegs implements FlowLegs {
  private readonly symbols: Int32Array;

  constructor(
    readonly payloads: readonly LegPayload[],
    readonly liquidation: boolean,
    table: SymbolTable,
  ) {
    this.symbols = Int32Array.from(payloads, (l) => table.add(l.symbol));
  }

  get keptCount(): number {
    return this.payloads.length;
  }

  increasesAt(k: number): boolean {
    return (this.payloads[k] as LegPayload).increasesExposure;
  }

  kindAt(k: number): number {
    return KIND[(this.payloads[k] as LegPayload).leg];
  }

  legSymbol(k: number): number {
    return this.symbols[k] as number;
  }
}
