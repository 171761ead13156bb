/**
 * The two mathjs instances the tools use, built from only the pieces they need (the parser, real
 * arithmetic and a few functions for the calculator; units for conversions) so the chunk stays
 * about half of the full library. Only `load-math.ts` imports this module, dynamically: it is
 * never part of the first paint.
 *
 * Neither instance evaluates expressions: the calculator walks the parsed tree itself over an
 * allowlist (`expression.ts`), so mathjs's own `evaluate`, `import` and `createUnit` are never
 * reachable from what a model writes.
 */
import {
  absDependencies,
  acosDependencies,
  addDependencies,
  asinDependencies,
  atan2Dependencies,
  atanDependencies,
  bignumberDependencies,
  cbrtDependencies,
  ceilDependencies,
  cosDependencies,
  coshDependencies,
  create,
  type FactoryFunctionMap,
  divideDependencies,
  eDependencies,
  expDependencies,
  factorialDependencies,
  floorDependencies,
  gcdDependencies,
  hypotDependencies,
  lcmDependencies,
  log10Dependencies,
  log2Dependencies,
  logDependencies,
  maxDependencies,
  minDependencies,
  modDependencies,
  multiplyDependencies,
  nthRootDependencies,
  parseDependencies,
  phiDependencies,
  piDependencies,
  powDependencies,
  roundDependencies,
  signDependencies,
  sinDependencies,
  sinhDependencies,
  sqrtDependencies,
  subtractDependencies,
  tanDependencies,
  tanhDependencies,
  tauDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
  unitDependencies,
} from 'mathjs';

/** Significant digits every calculator value carries; results are shown with far fewer. */
export const PRECISION = 64;

// mathjs's types declare each `…Dependencies` as possibly undefined (they come from an indexed
// record); they are all defined, and the casts below say so.

/**
 * Every number as a decimal BigNumber, so `0.1 + 0.2` is 0.3 and integers stay exact up to 64
 * digits. `predictable` keeps results real (the square root of −4 is NaN, not a complex number).
 */
export const calculatorMath = create(
  {
    parseDependencies,
    bignumberDependencies,
    addDependencies,
    subtractDependencies,
    multiplyDependencies,
    divideDependencies,
    powDependencies,
    modDependencies,
    unaryMinusDependencies,
    unaryPlusDependencies,
    factorialDependencies,
    sqrtDependencies,
    cbrtDependencies,
    nthRootDependencies,
    absDependencies,
    expDependencies,
    logDependencies,
    log10Dependencies,
    log2Dependencies,
    sinDependencies,
    cosDependencies,
    tanDependencies,
    asinDependencies,
    acosDependencies,
    atanDependencies,
    atan2Dependencies,
    sinhDependencies,
    coshDependencies,
    tanhDependencies,
    roundDependencies,
    floorDependencies,
    ceilDependencies,
    signDependencies,
    minDependencies,
    maxDependencies,
    gcdDependencies,
    lcmDependencies,
    hypotDependencies,
    piDependencies,
    eDependencies,
    tauDependencies,
    phiDependencies,
  } as FactoryFunctionMap,
  { number: 'BigNumber', precision: PRECISION, predictable: true },
);

interface DecimalSettings {
  precision: number;
  rounding: number;
}
const Decimal = calculatorMath.bignumber(0).constructor as unknown as DecimalSettings & {
  set(settings: DecimalSettings): unknown;
};
const decimalSettings: DecimalSettings = { precision: Decimal.precision, rounding: Decimal.rounding };

/**
 * decimal.js raises its precision inside a sine of a huge angle and leaves it raised when it then
 * throws (`sin(1e10000)`), so every later sum would run at thousands of digits, for seconds. The
 * calculator puts the settings back after each expression.
 */
export function restoreDecimalSettings(): void {
  Decimal.set(decimalSettings);
}

/** Plain numbers are enough for conversions, which are shown to six significant digits. */
export const unitMath = create({ unitDependencies } as FactoryFunctionMap);

// A few units people ask for that mathjs lacks. Defined here, by Nook, once; nothing a model
// writes can define a unit.
unitMath.Unit.createUnitSingle('nmi', { definition: '1852 m', aliases: ['nauticalmile', 'nauticalmiles'] });
unitMath.Unit.createUnitSingle('knot', { definition: '1 nmi/h', aliases: ['knots', 'kn', 'kt'] });
unitMath.Unit.createUnitSingle('cal', { definition: '4.184 J', prefixes: 'short', aliases: ['calorie', 'calories'] });
unitMath.Unit.createUnitSingle('ly', { definition: '9460730472580800 m', aliases: ['lightyear', 'lightyears'] });
unitMath.Unit.createUnitSingle('au', { definition: '149597870700 m' });

export type CalculatorMath = typeof calculatorMath;
export type UnitMath = typeof unitMath;
