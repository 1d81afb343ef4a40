/**
 * What a chart draws, as data. Kept free of DOM types: the server imports it (through
 * `specs.ts`) to know which chart containers to render, and must not pull the DOM library into
 * the Node programs that import @headroom/report.
 */
import type { PhaseBand } from '../../data/report-data.ts';

/** One line of a chart. */
export interface Line {
  label: string;
  values: (number | null)[];
  color?: string;
  /** Axis scale the line is drawn on. @default 'y' */
  scale?: string;
  /** Points only (measured steps), no line. */
  points?: boolean;
  /** A line with a marker at each point (few points, e.g. one per run). */
  markers?: boolean;
  dash?: number[];
  width?: number;
}

/** A chart to draw into an element. */
export interface ChartSpec {
  id: string;
  x: number[];
  lines: Line[];
  xLabel: string;
  yLabel: string;
  y2Label?: string;
  yLog?: boolean;
  xTime?: boolean;
  xValues?: (v: number) => string;
  xSplits?: number[];
  yValues?: (v: number) => string;
  bands?: PhaseBand[];
  /** Horizontal reference lines (SLO, budget) on the y scale. */
  hLines?: { value: number; label: string; color: string; scale?: string }[];
  /** Vertical markers (capacity, change points) with an optional shaded range. */
  vLines?: { value: number; label: string; color: string; from?: number; to?: number }[];
  /** Fill between two lines (indices into `lines`): the forecast's interval. */
  fills?: { upper: number; lower: number; color: string }[];
  height?: number;
}
