import { join } from 'node:path';

/** The repository root (this file is tools/workspace/src/workspace-root.ts). */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

/**
 * The designed dependency directions: which workspace projects each project may depend on.
 * core <- signals <- weighting; core <- sizing, risk, storage, data-adapters; execution <- all
 * libraries; apps <- anything but apps and tools; tools <- libraries; nothing depends on tools
 * or apps.
 */
export const LIBRARIES = [
  'core',
  'signals',
  'weighting',
  'sizing',
  'risk',
  'storage',
  'data-adapters',
  'execution',
] as const;
export const APPS = ['trader', 'backtest'] as const;

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
    case 'execution':
      return LIBRARIES.filter((l) => l !== 'execution');
    default:
      // apps and tools may use any library, never an app or a tool
      return LIBRARIES;
  }
}
