import { join } from 'node:path';

/** The repository root (this file is tools/workspace/src/workspace-root.ts). */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

/**
 * The designed dependency directions: which workspace projects each project may depend on.
 * core <- signals <- weighting <- strategy; core <- sizing, risk, storage, data-adapters;
 * execution <- core, sizing, risk; backtest <- every other library; apps <- anything but apps
 * and tools; tools <- libraries; nothing depends on tools or apps.
 */
export const LIBRARIES = [
  'core',
  'signals',
  'weighting',
  'sizing',
  'risk',
  'storage',
  'data-adapters',
  'strategy',
  'execution',
  'backtest',
] as const;
export const APPS = ['trader', 'backtest-cli'] as const;

export function allowedDependencies(project: string): readonly string[] {
  switch (project) {
    case 'core':
      return [];
    case 'signals':
    case 'sizing':
    case 'risk':
    case 'storage':
    case 'data-adapters':
      return ['core'];
    case 'weighting':
      return ['core', 'signals'];
    case 'strategy':
      return ['core', 'signals', 'weighting'];
    case 'execution':
      return ['core', 'sizing', 'risk'];
    case 'backtest':
      return LIBRARIES.filter((l) => l !== 'backtest');
    default:
      // apps and tools may use any library, never an app or a tool
      return LIBRARIES;
  }
}
