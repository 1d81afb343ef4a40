/**
 * @headroom/nx — an Nx plugin that infers headroom targets from scenario and bench files, so
 * `nx affected -t headroom-check` runs only the scenarios of projects a change touches.
 * Register it in nx.json: `"plugins": [{ "plugin": "@headroom/nx", "options": { ... } }]`.
 */
export { createNodes, createNodesV2, headroomTargets, HEADROOM_NX_DEFAULTS } from './create-nodes.ts';
export type { HeadroomNxOptions } from './create-nodes.ts';
