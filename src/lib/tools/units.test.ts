import { beforeAll, describe, expect, it } from 'vitest';
import { loadMath } from './load-math';
import { convertUnits } from './units';

const result = async (value: number, from: string, to: string) => {
  const outcome = await convertUnits(value, from, to);
  if (!outcome.ok) throw new Error(`expected a result, got: ${outcome.error}`);
  return outcome.result;
};
const error = async (value: number, from: string, to: string) => {
  const outcome = await convertUnits(value, from, to);
  if (outcome.ok) throw new Error(`expected an error, got: ${outcome.result}`);
  return outcome.error;
};

describe('convertUnits', () => {
  // The first load of mathjs takes seconds on a slow machine; the tests time the tool, not that.
  beforeAll(() => loadMath(), 60_000);

  it('converts lengths, masses and volumes to six significant digits', async () => {
    expect(await result(5, 'km', 'mi')).toBe('5 km = 3.10686 mi');
    expect(await result(26.2, 'miles', 'km')).toBe('26.2 miles = 42.1648 km');
    expect(await result(70, 'kg', 'lb')).toBe('70 kg = 154.324 lb');
    expect(await result(3.785411784, 'l', 'gal')).toBe('3.78541 l = 1 gal');
    expect(await result(10, 'kilometres', 'm')).toBe('10 kilometres = 10000 m');
    expect(await result(1, 'KM', 'm')).toBe('1 km = 1000 m');
  });

  it('converts temperatures with their offsets, in any common spelling', async () => {
    expect(await result(100, 'celsius', 'fahrenheit')).toBe('100 °C = 212 °F');
    expect(await result(-40, '°C', '°F')).toBe('-40 °C = -40 °F');
    expect(await result(32, 'degF', 'C')).toBe('32 °F = 0 °C');
    expect(await result(0, 'C', 'kelvin')).toBe('0 °C = 273.15 kelvin');
  });

  it('converts speeds, and units Nook adds to mathjs', async () => {
    expect(await result(100, 'km/h', 'mph')).toBe('100 km/h = 62.1371 mph');
    expect(await result(60, 'mph', 'kph')).toBe('60 mph = 96.5606 km/h');
    expect(await result(10, 'knots', 'km/h')).toBe('10 knots = 18.52 km/h');
    expect(await result(1, 'kcal', 'kJ')).toBe('1 kcal = 4.184 kJ');
  });

  it('refuses unknown units, incompatible ones and values that are not finite', async () => {
    expect(await error(1, 'furlongz', 'm')).toBe('Nook does not know the unit “furlongz”.');
    expect(await error(1, 'm', 'furlongz')).toBe('Nook does not know the unit “furlongz”.');
    expect(await error(1, '5 km', 'm')).toBe('Nook does not know the unit “5 km”.');
    expect(await error(1, '', 'm')).toBe('Nook does not know the unit “”.');
    expect(await error(1, 'constructor', 'm')).toBe('Nook does not know the unit “constructor”.');
    expect(await error(1, 'kg', 'm')).toBe('Nook cannot convert kg to m: kg measures mass and m measures length.');
    expect(await error(1, 'km/h', 'kg')).toBe(
      'Nook cannot convert km/h to kg: km/h measures speed and kg measures mass.',
    );
    expect(await error(Number.NaN, 'km', 'm')).toMatch(/must be a finite number/);
    expect(await error(Number.POSITIVE_INFINITY, 'km', 'm')).toMatch(/must be a finite number/);
  });
});
