/**
 * The store's tables, as the current schema. Column types drive both DDL and the
 * typed appender. Changing a table means adding a migration in migrations.ts
 * (ALTER TABLE … ADD COLUMN IF NOT EXISTS) so existing files move forward.
 */

export type ColumnType = 'VARCHAR' | 'JSON' | 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'TIMESTAMP' | 'BLOB';

export interface TableSpec {
  columns: Record<string, ColumnType>;
  primaryKey?: string[];
}

/** Schema 3: the git branch a run was made on (null for runs stored before, or outside a branch). */
export const RUN_BRANCH_COLUMNS = { git_branch: 'VARCHAR' } as const;
/**
 * Schema 5 (capacity): per phase, the generator's own lateness apart from the service's queue,
 * mean requests in flight, and the service's CPU from /proc; per second the same plus the
 * service's process tree (CPU, RSS, threads, context switches).
 */
export const PHASE_CAPACITY_COLUMNS = {
  queued_sends: 'BIGINT',
  max_queue_ms: 'DOUBLE',
  gen_late_sends: 'BIGINT',
  gen_cpu: 'DOUBLE',
  gen_limited: 'BOOLEAN',
  concurrency: 'DOUBLE',
  cpu_util: 'DOUBLE',
  cpu_s: 'DOUBLE',
  cpu_per_request_us: 'DOUBLE',
  cut_short: 'BOOLEAN',
} as const;
/**
 * Schema 7: a phase row that is the running aggregate of a phase that never ended (the run
 * was killed, or its workers died, while it ran): what it measured up to its last complete
 * second, kept and marked partial. Rows of phases that ended have it false (null before 7).
 */
export const PHASE_PARTIAL_COLUMNS = { partial: 'BOOLEAN' } as const;
/**
 * Schema 8: the share of the service's and of the generator's CPU time the hypervisor took
 * (steal, from /proc/stat), per phase and per second; NULL where not measured.
 */
export const STEAL_COLUMNS = { steal_service: 'DOUBLE', steal_generator: 'DOUBLE' } as const;
export const SERIES_CAPACITY_COLUMNS = {
  concurrency: 'DOUBLE',
  queued_sends: 'BIGINT',
  proc_cpu: 'DOUBLE',
  proc_rss_mb: 'DOUBLE',
  proc_threads: 'INTEGER',
  proc_vcsw: 'BIGINT',
  proc_ivcsw: 'BIGINT',
  proc_count: 'INTEGER',
} as const;

/**
 * Schema 6 (scripted load): per phase and request name, requests, errors by kind and both
 * histograms (their sum over names is the phase's); per phase and check, passes and fails;
 * per phase and flow, iterations, failures, drops, durations and the first error messages.
 */
export const SCRIPTED_TABLES = {
  phase_requests: {
    columns: {
      run_id: 'VARCHAR',
      phase: 'VARCHAR',
      name: 'VARCHAR',
      requests: 'BIGINT',
      ok: 'BIGINT',
      errors: 'BIGINT',
      errors_by_kind: 'JSON',
      p50_ms: 'DOUBLE',
      p90_ms: 'DOUBLE',
      p99_ms: 'DOUBLE',
      max_ms: 'DOUBLE',
      mean_ms: 'DOUBLE',
      svc_p50_ms: 'DOUBLE',
      svc_p99_ms: 'DOUBLE',
      hist: 'BLOB',
      service_hist: 'BLOB',
    },
    primaryKey: ['run_id', 'phase', 'name'],
  },
  phase_checks: {
    columns: { run_id: 'VARCHAR', phase: 'VARCHAR', name: 'VARCHAR', passes: 'BIGINT', fails: 'BIGINT', rate: 'DOUBLE' },
    primaryKey: ['run_id', 'phase', 'name'],
  },
  phase_flows: {
    columns: {
      run_id: 'VARCHAR',
      phase: 'VARCHAR',
      flow: 'VARCHAR',
      iterations: 'BIGINT',
      failed: 'BIGINT',
      dropped: 'BIGINT',
      p50_ms: 'DOUBLE',
      p99_ms: 'DOUBLE',
      max_ms: 'DOUBLE',
      hist: 'BLOB',
      messages: 'JSON',
    },
    primaryKey: ['run_id', 'phase', 'flow'],
  },
} as const satisfies Record<string, TableSpec>;

export const TABLES = {
  runs: {
    columns: {
      id: 'VARCHAR',
      kind: 'VARCHAR',
      scenario: 'VARCHAR',
      file: 'VARCHAR',
      status: 'VARCHAR',
      gates: 'VARCHAR',
      started_at: 'TIMESTAMP',
      ended_at: 'TIMESTAMP',
      git_sha: 'VARCHAR',
      git_dirty: 'BOOLEAN',
      version: 'VARCHAR',
      host: 'VARCHAR',
      cpu_model: 'VARCHAR',
      cpu_count: 'INTEGER',
      node_version: 'VARCHAR',
      service_cpus: 'JSON',
      worker_cpus: 'JSON',
      pinning: 'JSON',
      config: 'JSON',
      error: 'VARCHAR',
      warnings: 'JSON',
      ...RUN_BRANCH_COLUMNS,
    },
    primaryKey: ['id'],
  },
  phases: {
    columns: {
      run_id: 'VARCHAR',
      phase: 'VARCHAR',
      parent: 'VARCHAR',
      ordinal: 'INTEGER',
      model: 'VARCHAR',
      warmup: 'BOOLEAN',
      started_at: 'TIMESTAMP',
      ended_at: 'TIMESTAMP',
      duration_s: 'DOUBLE',
      offered_rate: 'DOUBLE',
      achieved_rate: 'DOUBLE',
      requests: 'BIGINT',
      ok: 'BIGINT',
      errors: 'BIGINT',
      error_rate: 'DOUBLE',
      errors_by_kind: 'JSON',
      late_sends: 'BIGINT',
      max_lag_ms: 'DOUBLE',
      p50_ms: 'DOUBLE',
      p75_ms: 'DOUBLE',
      p90_ms: 'DOUBLE',
      p95_ms: 'DOUBLE',
      p99_ms: 'DOUBLE',
      p999_ms: 'DOUBLE',
      max_ms: 'DOUBLE',
      mean_ms: 'DOUBLE',
      svc_p50_ms: 'DOUBLE',
      svc_p90_ms: 'DOUBLE',
      svc_p99_ms: 'DOUBLE',
      svc_p999_ms: 'DOUBLE',
      svc_max_ms: 'DOUBLE',
      hist: 'BLOB',
      service_hist: 'BLOB',
      failed_p50_ms: 'DOUBLE',
      failed_p99_ms: 'DOUBLE',
      failed_max_ms: 'DOUBLE',
      failed_hist: 'BLOB',
      ...PHASE_CAPACITY_COLUMNS,
      ...PHASE_PARTIAL_COLUMNS,
      ...STEAL_COLUMNS,
    },
    primaryKey: ['run_id', 'phase'],
  },
  series: {
    columns: {
      run_id: 'VARCHAR',
      second: 'INTEGER',
      phase: 'VARCHAR',
      requests: 'BIGINT',
      ok: 'BIGINT',
      errors: 'BIGINT',
      errors_by_kind: 'JSON',
      late_sends: 'BIGINT',
      p50_ms: 'DOUBLE',
      p90_ms: 'DOUBLE',
      p99_ms: 'DOUBLE',
      max_ms: 'DOUBLE',
      gen_cpu: 'DOUBLE',
      gen_wake_delay_us: 'DOUBLE',
      sut_cpu: 'DOUBLE',
      sut_rss_mb: 'DOUBLE',
      sut_heap_mb: 'DOUBLE',
      sut_elu: 'DOUBLE',
      sut_eld_p99_ms: 'DOUBLE',
      sut_gc_ms: 'DOUBLE',
      hist: 'BLOB',
      ...SERIES_CAPACITY_COLUMNS,
      ...STEAL_COLUMNS,
    },
    primaryKey: ['run_id', 'second'],
  },
  gates: {
    columns: {
      run_id: 'VARCHAR',
      key: 'VARCHAR',
      scope: 'VARCHAR',
      metric: 'VARCHAR',
      expression: 'VARCHAR',
      op: 'VARCHAR',
      threshold: 'DOUBLE',
      value: 'DOUBLE',
      passed: 'BOOLEAN',
      aborted: 'BOOLEAN',
      reason: 'VARCHAR',
    },
  },
  bench_reps: {
    columns: {
      run_id: 'VARCHAR',
      task: 'VARCHAR',
      repetition: 'INTEGER',
      pid: 'INTEGER',
      cpus: 'JSON',
      iterations: 'BIGINT',
      mean_ns: 'DOUBLE',
      median_ns: 'DOUBLE',
      min_ns: 'DOUBLE',
      max_ns: 'DOUBLE',
      sd_ns: 'DOUBLE',
      ops_per_s: 'DOUBLE',
      status: 'VARCHAR',
      error: 'VARCHAR',
    },
  },
  bench_samples: {
    columns: { run_id: 'VARCHAR', task: 'VARCHAR', repetition: 'INTEGER', sample_index: 'INTEGER', ns: 'DOUBLE' },
  },
  profiles: {
    columns: {
      run_id: 'VARCHAR',
      phase: 'VARCHAR',
      type: 'VARCHAR',
      path: 'VARCHAR',
      sample_type: 'VARCHAR',
      unit: 'VARCHAR',
      total: 'DOUBLE',
    },
  },
  profile_functions: {
    columns: {
      run_id: 'VARCHAR',
      phase: 'VARCHAR',
      type: 'VARCHAR',
      function: 'VARCHAR',
      file: 'VARCHAR',
      line: 'INTEGER',
      self: 'DOUBLE',
      total: 'DOUBLE',
      unit: 'VARCHAR',
    },
  },
  spans: {
    columns: {
      run_id: 'VARCHAR',
      trace_id: 'VARCHAR',
      span_id: 'VARCHAR',
      parent_span_id: 'VARCHAR',
      name: 'VARCHAR',
      kind: 'VARCHAR',
      service: 'VARCHAR',
      start_ms: 'DOUBLE',
      duration_ms: 'DOUBLE',
      status_code: 'VARCHAR',
      attributes: 'JSON',
      source: 'VARCHAR',
    },
  },
  trace_samples: {
    columns: {
      run_id: 'VARCHAR',
      trace_id: 'VARCHAR',
      span_id: 'VARCHAR',
      phase: 'VARCHAR',
      request: 'VARCHAR',
      started_at_ms: 'DOUBLE',
      latency_ms: 'DOUBLE',
      status: 'INTEGER',
      error: 'VARCHAR',
    },
  },
  capacity: {
    columns: {
      run_id: 'VARCHAR',
      phase: 'VARCHAR',
      source: 'VARCHAR',
      method: 'VARCHAR',
      computed_at: 'TIMESTAMP',
      steps: 'INTEGER',
      rate: 'DOUBLE',
      bracket_lo: 'DOUBLE',
      bracket_hi: 'DOUBLE',
      limited_by: 'VARCHAR',
      failing_metric: 'VARCHAR',
      fraction: 'DOUBLE',
      cpu_budget: 'DOUBLE',
      cpu_budget_rate: 'DOUBLE',
      cpu_budget_method: 'VARCHAR',
      usl_status: 'VARCHAR',
      usl_sigma: 'DOUBLE',
      usl_kappa: 'DOUBLE',
      usl_lambda: 'DOUBLE',
      usl_sigma_se: 'DOUBLE',
      usl_kappa_se: 'DOUBLE',
      usl_lambda_se: 'DOUBLE',
      usl_r2: 'DOUBLE',
      usl_rse: 'DOUBLE',
      usl_peak_concurrency: 'DOUBLE',
      usl_peak_throughput: 'DOUBLE',
      usl_ceiling: 'DOUBLE',
      expected_peak: 'DOUBLE',
      headroom: 'DOUBLE',
      headroom_lo: 'DOUBLE',
      headroom_hi: 'DOUBLE',
      headroom_limited_by: 'VARCHAR',
      warnings: 'JSON',
      result: 'JSON',
    },
  },
  ...SCRIPTED_TABLES,
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;

type JsOf<T extends ColumnType> = T extends 'BOOLEAN'
  ? boolean
  : T extends 'INTEGER' | 'BIGINT' | 'DOUBLE'
    ? number
    : T extends 'TIMESTAMP'
      ? Date | number
      : T extends 'BLOB'
        ? Uint8Array
        : string;

/** A row of `table` as JS values; every column may be null. Timestamps are Date or epoch ms. */
type Columns<T extends TableName> = (typeof TABLES)[T]['columns'];
export type Row<T extends TableName> = { [K in keyof Columns<T>]: JsOf<Columns<T>[K] & ColumnType> | null };

export function createTableSql(name: string, spec: TableSpec): string {
  const cols = Object.entries(spec.columns).map(([c, t]) => `  ${quote(c)} ${t}`);
  if (spec.primaryKey) cols.push(`  PRIMARY KEY (${spec.primaryKey.map(quote).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${name} (\n${cols.join(',\n')}\n)`;
}

export function quote(ident: string): string {
  return `"${ident.replaceAll('"', '""')}"`;
}
