// What a reading must be to take part in a fusion: a finite value and accuracy within
// READING_LIMIT, and an accuracy above zero (the interval must have a width for the
// Gaussian mixture; an exact sensor is written with a tiny accuracy, not zero). Anything
// else is a fault of the sensor or of the frame, rejected and counted, never fused.

/** Magnitudes beyond this are no physical reading of anything a node fuses. */
export const READING_LIMIT: f64 = 1e9;

export function readingValid(value: f64, accuracy: f64): bool {
  // NaN fails every comparison, so it is refused by the first test it meets.
  return value >= -READING_LIMIT && value <= READING_LIMIT && accuracy > 0 && accuracy <= READING_LIMIT;
}
