/** The rows a merged profile becomes in the store: one per profile and one per function. */

/** One merged profile of one phase, one sample type. */
export interface ProfileRow {
  phase: string;
  /** 'cpu' | 'wall' | 'heap', or the pprof sample type name for other types. */
  type: string;
  /** Gzipped pprof file under artifactsDir. */
  path: string;
  sample_type: string;
  unit: string;
  total: number;
}

/** Self and total of one function in one profile (phase × type). */
export interface FunctionRow {
  phase: string;
  type: string;
  function: string;
  file: string;
  line: number;
  self: number;
  total: number;
  unit: string;
}
