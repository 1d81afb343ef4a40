/**
 * Per-second runtime metrics measured inside the SUT: process CPU (process.cpuUsage),
 * RSS and heap used (process.memoryUsage), event-loop utilisation
 * (performance.eventLoopUtilization), event-loop delay p99 (perf_hooks.monitorEventLoopDelay)
 * and GC pause time (PerformanceObserver 'gc' entries). Timers are unref'd.
 */
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import type { RuntimeSample } from '../protocol.ts';

const MB = 1024 * 1024;

/** Starts sampling; `emit` receives one sample per second. Returns a stop function. */
export function startRuntimeSampler(emit: (s: RuntimeSample) => void): () => void {
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  let lastCpu = process.cpuUsage();
  let lastElu = performance.eventLoopUtilization();
  let lastAt = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const elu = performance.eventLoopUtilization(lastElu);
    const mem = process.memoryUsage();
    const elapsedUs = (now - lastAt) * 1000;
    emit({
      second_epoch: Math.floor(Date.now() / 1000),
      cpu: elapsedUs > 0 ? (cpu.user + cpu.system) / elapsedUs : 0,
      rss_mb: mem.rss / MB,
      heap_used_mb: mem.heapUsed / MB,
      elu: elu.utilization,
      eld_p99_ms: eld.count > 0 ? eld.percentile(99) / 1e6 : 0,
      gc_ms: gcMs,
    });
    lastCpu = process.cpuUsage();
    lastElu = performance.eventLoopUtilization();
    lastAt = now;
    gcMs = 0;
    eld.reset();
  }, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    gc.disconnect();
    eld.disable();
  };
}
