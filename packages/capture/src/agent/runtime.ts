/**
 * Per-second runtime metrics measured inside the SUT: process CPU (process.cpuUsage),
 * RSS and heap used (process.memoryUsage), event-loop utilisation
 * (performance.eventLoopUtilization), event-loop delay p99 (perf_hooks.monitorEventLoopDelay)
 * and GC pause time (PerformanceObserver 'gc' entries). Timers are unref'd.
 */
import { monitorEventLoopDelay, performance, PerformanceObserver, type ELDHistogram } from 'node:perf_hooks';
import type { RuntimeSample } from '../protocol.ts';

const MB = 1024 * 1024;

/**
 * Event-loop delay is probed by a timer (monitorEventLoopDelay records how late each tick of a
 * `resolution` ms timer runs). A probe that finds the loop asleep wakes the process: on a KVM
 * guest that cost ~100 µs of CPU a wake, so 10 ms probes took ~10 ms of CPU a second from an
 * idle service, a fifth of its CPU per request at 1,000 req/s (bench/capture-idle.ts and
 * capture-overhead.ts --rate). Probes that find the loop awake cost next to nothing. So the
 * sampler probes every 10 ms while the last second's event-loop utilisation was at least
 * `busyElu` (where delay matters and probes find the loop running) and every 100 ms otherwise.
 */
export const ELD_PROBE = { busyMs: 10, idleMs: 100, busyElu: 0.5 } as const;

/** Starts sampling; `emit` receives one sample per second. Returns a stop function. */
export function startRuntimeSampler(emit: (s: RuntimeSample) => void): () => void {
  const busy = monitorEventLoopDelay({ resolution: ELD_PROBE.busyMs });
  const idle = monitorEventLoopDelay({ resolution: ELD_PROBE.idleMs });
  let eld: ELDHistogram = idle;
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
    const next = elu.utilization >= ELD_PROBE.busyElu ? busy : idle;
    if (next !== eld) {
      eld.disable();
      eld = next;
      eld.enable();
    }
  }, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    gc.disconnect();
    busy.disable();
    idle.disable();
  };
}
