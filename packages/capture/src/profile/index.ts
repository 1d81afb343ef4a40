/**
 * `@headroom/capture/profile`: the profile format capture writes, for readers downstream
 * (analysis, report, bench): pprof I/O, merging, function tables, span labels, and the
 * conversion of V8 `.cpuprofile` files. Loads no receiver and no agent.
 */
export { readPprof, writePprof, decodePprof, isGzip, MAX_INFLATED_PPROF_BYTES } from './io.ts';
export { ProfileMerger, mergeProfiles, sampleTypeNames, demangle } from './merge.ts';
export { functionTable, interestingTypes, profileTotal, profileTypeName } from './function-table.ts';
export { restoreIdleWall, IDLE_FRAME } from './idle-wall.ts';
export { cpuProfileToPprof, parseCpuProfile } from './cpuprofile.ts';
export type { V8CpuProfile, V8ProfileNode, V8CallFrame } from './cpuprofile.ts';
export { profileOfSpans, SPAN_ID_LABEL } from './span-labels.ts';
export type { SpanSubProfile } from './span-labels.ts';
export type { ProfileRow, FunctionRow } from './rows.ts';
export type { Profile } from 'pprof-format';
