/**
 * Textbook single-server queues, to check measured waiting times against theory.
 *
 * For Poisson arrivals at rate λ and one server with mean service time 1/μ (utilisation
 * ρ = λ/μ < 1), the Pollaczek–Khinchine formula gives the mean wait in the queue,
 *   Wq = ρ·(1 + Cs²) / (2μ(1 − ρ)),
 * Cs the service time's coefficient of variation (Kleinrock, Queueing Systems vol. 1, 1975,
 * eq. 5.72; Harchol-Balter, Performance Modeling and Design of Computer Systems, 2013, §23.2).
 * M/D/1 (fixed service time, Cs = 0): Wq = ρ/(2μ(1 − ρ)). M/M/1 (exponential, Cs = 1):
 * Wq = ρ/(μ(1 − ρ)), twice as long. Rates are per second, times in seconds.
 */

/** Mean-value figures of a stable queue, or the utilisation of an unstable one (ρ ≥ 1: the queue grows without bound). */
export type QueueFigures =
  | {
      status: 'stable';
      utilisation: number;
      /** Mean time waiting before service starts, s. */
      meanWait: number;
      /** Mean wait plus service, s. */
      meanResponse: number;
      /** Mean number waiting (Little's law: λ·Wq). */
      meanQueueLength: number;
      /** Mean number in the system (λ·W). */
      meanInSystem: number;
    }
  | { status: 'unstable'; utilisation: number };

/** M/G/1 by Pollaczek–Khinchine, given the squared coefficient of variation of the service time. */
export function mg1(arrivalRate: number, serviceRate: number, serviceCv2: number): QueueFigures {
  if (!(arrivalRate >= 0 && serviceRate > 0 && serviceCv2 >= 0)) {
    throw new RangeError(`need arrivalRate >= 0, serviceRate > 0, serviceCv2 >= 0; got ${arrivalRate}, ${serviceRate}, ${serviceCv2}`);
  }
  const rho = arrivalRate / serviceRate;
  if (rho >= 1) return { status: 'unstable', utilisation: rho };
  const meanWait = (rho * (1 + serviceCv2)) / (2 * serviceRate * (1 - rho));
  const meanResponse = meanWait + 1 / serviceRate;
  return {
    status: 'stable',
    utilisation: rho,
    meanWait,
    meanResponse,
    meanQueueLength: arrivalRate * meanWait,
    meanInSystem: arrivalRate * meanResponse,
  };
}

/** M/D/1: Poisson arrivals, one server, fixed service time 1/μ. */
export function md1(arrivalRate: number, serviceRate: number): QueueFigures {
  return mg1(arrivalRate, serviceRate, 0);
}

/** M/M/1: Poisson arrivals, one server, exponential service times with mean 1/μ. */
export function mm1(arrivalRate: number, serviceRate: number): QueueFigures {
  return mg1(arrivalRate, serviceRate, 1);
}
