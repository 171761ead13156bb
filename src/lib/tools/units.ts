/**
 * The unit conversion tool: a value, a unit to convert from and one to convert to, with mathjs's
 * units (lengths, masses, volumes, temperatures with their offsets, speeds, areas, energy, data…)
 * and a few spellings of Nook's own (`unit-names.ts`). The result is shown to six significant
 * digits: `5 km = 3.10686 mi`.
 */
import type { Unit } from 'mathjs';
import { loadMath } from './load-math';
import type { UnitMath } from './math';
import { failed, succeeded, type ToolOutcome } from './types';
import { resolveUnit } from './unit-names';

const UNIT_NAME_LIMIT = 40;
const SHOWN_DIGITS = 6;

/** What each of mathjs's base quantities measures, for a refusal a person can follow. */
const QUANTITIES: Record<string, string> = {
  MASS: 'mass',
  LENGTH: 'length',
  TIME: 'time',
  CURRENT: 'electric current',
  TEMPERATURE: 'temperature',
  FORCE: 'force',
  SURFACE: 'area',
  VOLUME: 'volume',
  ENERGY: 'energy',
  POWER: 'power',
  PRESSURE: 'pressure',
  FREQUENCY: 'frequency',
  ANGLE: 'angle',
  BIT: 'amount of data',
};

export async function convertUnits(value: number, from: string, to: string): Promise<ToolOutcome> {
  if (!Number.isFinite(value)) return failed(`Nook cannot convert “${value}”: the value must be a finite number.`);
  const { unitMath: math } = await loadMath();
  const known = (name: string): boolean => parses(math, name);
  const source = from.length <= UNIT_NAME_LIMIT ? resolveUnit(from, known) : undefined;
  if (!source) return failed(unknownUnit(from));
  const target = to.length <= UNIT_NAME_LIMIT ? resolveUnit(to, known) : undefined;
  if (!target) return failed(unknownUnit(to));

  const given = math.unit(value, source.unit);
  const wanted = math.unit(target.unit);
  if (!given.equalBase(wanted)) {
    const [a, b] = [quantityOf(math, given), quantityOf(math, wanted)];
    const why =
      a && b ? `${source.display} measures ${a} and ${target.display} measures ${b}` : 'they measure different things';
    return failed(`Nook cannot convert ${source.display} to ${target.display}: ${why}.`);
  }
  const converted = given.to(target.unit).toNumber(target.unit);
  if (!Number.isFinite(converted))
    return failed(`${value} ${source.display} in ${target.display} is too large to show.`);
  return succeeded(`${shown(value)} ${source.display} = ${shown(converted)} ${target.display}`);
}

function parses(math: UnitMath, name: string): boolean {
  try {
    // A unit, not a quantity ("5 km") and not nothing ("").
    const unit = math.unit(name);
    return unit.value === null && unit.units.length > 0;
  } catch {
    return false; // mathjs throws for any name it does not know; that is the answer asked for
  }
}

function quantityOf(math: UnitMath, unit: Unit): string | undefined {
  const sameAs = (dimensions: readonly number[]) =>
    dimensions.every((power, index) => power === unit.dimensions[index]);
  for (const [key, quantity] of Object.entries(QUANTITIES)) {
    const base = math.Unit.BASE_UNITS[key];
    if (base && sameAs(base.dimensions)) return quantity;
  }
  // mathjs has no base quantity for speed; length over time is one.
  return sameAs([0, 1, -1, 0, 0, 0, 0, 0, 0]) ? 'speed' : undefined;
}

function unknownUnit(name: string): string {
  return `Nook does not know the unit “${name.trim().slice(0, UNIT_NAME_LIMIT)}”.`;
}

/** Six significant digits, without the trailing zeros `toPrecision` leaves. */
function shown(value: number): string {
  return String(Number(value.toPrecision(SHOWN_DIGITS)));
}
