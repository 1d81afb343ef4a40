/// <reference lib="dom" />
/**
 * What the page drew, exposed on `window.__headroomReport` so tests (and curious readers in
 * the console) can check that each chart got its data without reading pixels.
 */

/** One chart: points on x and the non-null values of each series. */
export interface ChartState {
  points: number;
  series: Record<string, number>;
}

/** One flame graph's state after its last draw. */
export interface FlameState {
  frames: number;
  /** Frames drawn at the last render (zoomed views draw fewer). */
  drawn: number;
  /** Name of the frame zoomed into, or null for the whole profile. */
  zoomedTo: string | null;
  /** Frames whose name matches the search. */
  matches: number;
  /** Frames drawn highlighted at the last render. */
  highlighted: number;
}

/** Everything the page drew; `ready` turns true once all of it is drawn. */
export interface Registry {
  ready: boolean;
  charts: Record<string, ChartState>;
  flames: Record<string, FlameState>;
  waterfalls: Record<string, number>;
  errors: string[];
}

declare global {
  interface Window {
    __headroomReport: Registry;
  }
}

/** The page's registry, also on `window.__headroomReport`. */
export const registry: Registry = { ready: false, charts: {}, flames: {}, waterfalls: {}, errors: [] };
window.__headroomReport = registry;
