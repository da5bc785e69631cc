/** `sweeps`: one row per parameter sweep. */
export interface SweepsTable {
  sweep_id: string;
  /** ISO-8601 UTC instant the sweep was first started. */
  created_at: string;
  /** SHA-256 (hex) of the spec's canonical JSON: a resumed sweep must have the same spec. */
  spec_sha256: string;
  /** The sweep spec, JSON text. */
  spec: string;
  jobs_total: number;
  /** `running` or `finished`. */
  status: string;
  finished_at: string | null;
  /** The sweep summary (JSON text), once finished. */
  summary: string | null;
}

/** `sweep_jobs`: one row per finished job of a sweep, keyed by (sweep_id, job_id). */
export interface SweepJobsTable {
  sweep_id: string;
  job_id: string;
  param_index: number;
  /** Walk-forward fold, null for a job over the whole period. */
  fold_index: number | null;
  /** `full`, `in_sample` or `out_of_sample`. */
  phase: string;
  /** The job's parameter values, JSON text. */
  parameters: string;
  /** `done` or `failed`. */
  status: string;
  /** The sweep's objective (null when undefined or failed). */
  objective: number | null;
  sharpe: number | null;
  total_return: number | null;
  max_drawdown: number | null;
  /** The job's backtest metrics, JSON text (null when failed). */
  metrics: string | null;
  /** Last equity of each session, JSON text `{ dates, equityUsd }` (null when failed). */
  daily_equity: string | null;
  /** Why the job failed, JSON text `{ code, message }` (null when done). */
  error: string | null;
  run_id: string;
  duration_ms: number;
  /** Which worker ran it (host/pid/thread). */
  worker: string;
  started_at: string;
  finished_at: string;
}
