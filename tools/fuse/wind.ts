// A synthetic wind-speed series, one 1-minute mean per minute, standing in for the Deutscher
// Wetterdienst station data the paper's weather use case is based on (Elastic AI §7.2.1), which
// we do not have. It is deterministic for a seed and built from the parts that shape real
// near-surface wind:
//
//   level(t) = meanSpeed · diurnal(t) · exp(synoptic(t) - σs²/2)
//   speed(t) = clamp(level(t) · exp(turbulence(t) - σt²/2) + gusts(t), WIND_RANGE)
//
// - diurnal: daytime heating mixes fast upper air down, so wind peaks in the afternoon and is
//   calmest at night; a cosine with its maximum at `peakHour`.
// - synoptic: passing weather systems raise and lower the level over hours to days; an
//   Ornstein-Uhlenbeck process (exact AR(1) at one-minute steps) on the logarithm, because wind
//   varies in proportion to its level and must stay positive (a log-normal level, close to the
//   Weibull shape of measured wind). The -σ²/2 keeps meanSpeed the long-run mean.
// - turbulence: minute-to-minute fluctuation, a fast OU process on the logarithm as well.
// - gusts: Poisson arrivals, each a quick linear rise and an exponential decay, its height a
//   fraction of the level at its start (a gust factor of 1.3 to 1.7, as measured at 10 m), so
//   afternoon gusts are stronger.
//
// Minute 0 is midnight. The clamp is a safety bound that the defaults almost never reach; its
// floor keeps the truth strictly positive because the experiments report errors as percentages
// of it.

import { exponential, gaussian, stream, uniform, type Rng } from './random.ts';

export const MINUTES_PER_DAY = 1440;

/** Physical range of the generated 1-minute mean wind speed, m/s. */
export const WIND_RANGE = { min: 0.5, max: 30 } as const;

/**
 * Full scale of the simulated anemometers, m/s: the paper's m_max, which sets every sensor's
 * accuracy (m_max · d). 40 m/s is the range of common cup and ultrasonic anemometers.
 */
export const M_MAX = 40;

export interface WindModel {
  /** Long-run mean of the level, m/s. */
  meanSpeed: number;
  /** Relative swing of the daily cycle: the afternoon level is (1 + a) × the mean, the night (1 - a). */
  diurnalAmplitude: number;
  /** Hour of the daily maximum. */
  peakHour: number;
  /** Standard deviation of the synoptic log-factor, and its correlation time in hours. */
  synopticSigma: number;
  synopticHours: number;
  /** Standard deviation of the turbulent log-factor, and its correlation time in minutes. */
  turbulenceSigma: number;
  turbulenceMinutes: number;
  /** Mean number of gusts per hour (Poisson). */
  gustsPerHour: number;
  /** A gust's height as a fraction of the level at its start, drawn uniformly from this range. */
  gustFactor: readonly [number, number];
  /** Minutes from a gust's start to its peak, and the time constant of its decay. */
  gustRiseMinutes: number;
  gustDecayMinutes: number;
}

/**
 * A breezy inland station: 5.5 m/s on average (10 m height), ±30 % over the day, weather
 * systems moving the level by about ±35 % over half a day, a few gusts an hour.
 */
export const DEFAULT_WIND: WindModel = {
  meanSpeed: 5.5,
  diurnalAmplitude: 0.3,
  peakHour: 15,
  synopticSigma: 0.35,
  synopticHours: 8,
  turbulenceSigma: 0.08,
  turbulenceMinutes: 10,
  gustsPerHour: 3,
  gustFactor: [0.3, 0.7],
  gustRiseMinutes: 1,
  gustDecayMinutes: 3,
};

/** A gust's contribution is dropped once it has decayed this many time constants (e^-8 < 0.1 %). */
const GUST_TAIL = 8;

export function hourOf(minute: number): number {
  return (minute % MINUTES_PER_DAY) / 60;
}

/** The daily cycle's multiplier at `minute`. */
export function diurnalFactor(minute: number, model: WindModel): number {
  return 1 + model.diurnalAmplitude * Math.cos((2 * Math.PI * (hourOf(minute) - model.peakHour)) / 24);
}

/**
 * n steps of a stationary Ornstein-Uhlenbeck process with standard deviation `sigma` and
 * correlation time `tau` steps, sampled exactly (so the step size needs no care): it starts
 * from its stationary distribution, so the first minutes are as variable as the rest.
 */
export function ouSeries(rng: Rng, n: number, sigma: number, tau: number): number[] {
  const phi = Math.exp(-1 / tau);
  const kick = sigma * Math.sqrt(1 - phi * phi);
  const out: number[] = [];
  let x = sigma * gaussian(rng);
  for (let i = 0; i < n; i++) {
    out.push(x);
    x = phi * x + kick * gaussian(rng);
  }
  return out;
}

/** A unit gust `age` minutes after its start: linear rise to 1, then exponential decay. */
export function gustShape(age: number, riseMinutes: number, decayMinutes: number): number {
  if (age < 0) return 0;
  if (age < riseMinutes) return age / riseMinutes;
  return Math.exp(-(age - riseMinutes) / decayMinutes);
}

export interface Gusts {
  /** The gusts' sum at each minute, m/s. */
  speed: number[];
  /** Start times (minutes, fractional) of the gusts. */
  starts: number[];
}

/** Poisson gusts over the minutes of `level`, each scaled by the level where it starts. */
export function gustSeries(rng: Rng, level: readonly number[], model: WindModel): Gusts {
  const n = level.length;
  const speed = new Array<number>(n).fill(0);
  const starts: number[] = [];
  if (!(model.gustsPerHour > 0)) return { speed, starts };
  const span = model.gustRiseMinutes + GUST_TAIL * model.gustDecayMinutes;
  for (let t = exponential(rng, 60 / model.gustsPerHour); t < n; t += exponential(rng, 60 / model.gustsPerHour)) {
    starts.push(t);
    const height = uniform(rng, model.gustFactor[0], model.gustFactor[1]) * level[Math.floor(t)];
    for (let i = Math.ceil(t); i < n && i <= t + span; i++) speed[i] += height * gustShape(i - t, model.gustRiseMinutes, model.gustDecayMinutes);
  }
  return { speed, starts };
}

export interface WindComponents {
  /** The wind speed, m/s: the ground truth of the experiments. */
  speed: number[];
  /** The slowly varying level (daily cycle and weather systems), m/s. */
  level: number[];
  gusts: Gusts;
}

export function windComponents(minutes: number, seed: number, model: WindModel = DEFAULT_WIND): WindComponents {
  const synoptic = ouSeries(stream(seed, 'wind/synoptic'), minutes, model.synopticSigma, model.synopticHours * 60);
  const turbulence = ouSeries(stream(seed, 'wind/turbulence'), minutes, model.turbulenceSigma, model.turbulenceMinutes);
  const level = synoptic.map((s, i) => model.meanSpeed * diurnalFactor(i, model) * Math.exp(s - (model.synopticSigma ** 2) / 2));
  const gusts = gustSeries(stream(seed, 'wind/gusts'), level, model);
  const speed = level.map((l, i) => {
    const v = l * Math.exp(turbulence[i] - (model.turbulenceSigma ** 2) / 2) + gusts.speed[i];
    return Math.min(WIND_RANGE.max, Math.max(WIND_RANGE.min, v));
  });
  return { speed, level, gusts };
}

/** The wind speed for `minutes` minutes from midnight, m/s. */
export function windSeries(minutes: number, seed: number, model: WindModel = DEFAULT_WIND): number[] {
  return windComponents(minutes, seed, model).speed;
}

/** Mean speed over the minutes whose hour of day is in [fromHour, toHour). */
export function dayPartMean(speed: readonly number[], fromHour: number, toHour: number): number {
  let sum = 0;
  let n = 0;
  speed.forEach((v, i) => {
    const h = hourOf(i);
    if (h >= fromHour && h < toHour) {
      sum += v;
      n++;
    }
  });
  return n ? sum / n : NaN;
}
