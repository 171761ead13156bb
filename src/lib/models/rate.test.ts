import { describe, expect, it } from 'vitest';
import { formatDuration, RateMeter } from './rate';

describe('RateMeter', () => {
  it('measures speed over its window and estimates the time left', () => {
    const meter = new RateMeter();
    meter.add(0, 0);
    expect(meter.bytesPerSecond).toBeUndefined();
    meter.add(1_000_000, 1000);
    meter.add(2_000_000, 2000);
    expect(meter.bytesPerSecond).toBe(1_000_000);
    expect(meter.secondsLeft(10_000_000)).toBe(8);
    expect(meter.secondsLeft(undefined)).toBeUndefined();
  });

  it('forgets old samples and restarts when bytes go back (a download started over)', () => {
    const meter = new RateMeter();
    for (let t = 0; t <= 10_000; t += 1000) meter.add(t * 100, t);
    expect(meter.bytesPerSecond).toBe(100_000);
    meter.add(0, 11_000);
    expect(meter.bytesPerSecond).toBeUndefined();
  });

  it('formats durations', () => {
    expect(formatDuration(4.2)).toBe('5 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3 * 3600 + 600)).toBe('3 h 10 min');
  });
});
