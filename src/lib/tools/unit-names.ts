/**
 * Spellings of units that people and models write and mathjs does not read as they mean them,
 * mapped to mathjs's names, with how Nook shows a few of them. Everything else goes to mathjs as
 * it was written (it already knows "km", "miles", "celsius", "gallons", "km/h", "m^2"…).
 */

interface UnitName {
  /** The name mathjs knows. */
  unit: string;
  /** How the result shows it, where mathjs's name is not what people write. */
  display?: string;
}

const ALIASES: Record<string, UnitName> = {
  '°c': { unit: 'degC', display: '°C' },
  ºc: { unit: 'degC', display: '°C' },
  degc: { unit: 'degC', display: '°C' },
  c: { unit: 'degC', display: '°C' },
  celsius: { unit: 'degC', display: '°C' },
  centigrade: { unit: 'degC', display: '°C' },
  '°f': { unit: 'degF', display: '°F' },
  ºf: { unit: 'degF', display: '°F' },
  degf: { unit: 'degF', display: '°F' },
  f: { unit: 'degF', display: '°F' },
  fahrenheit: { unit: 'degF', display: '°F' },
  kelvin: { unit: 'K' },
  mph: { unit: 'mi/h', display: 'mph' },
  kph: { unit: 'km/h', display: 'km/h' },
  kmh: { unit: 'km/h', display: 'km/h' },
  'km/hr': { unit: 'km/h', display: 'km/h' },
  mps: { unit: 'm/s', display: 'm/s' },
  pound: { unit: 'lbm', display: 'lb' },
  pounds: { unit: 'lbm', display: 'lb' },
  lb: { unit: 'lbm', display: 'lb' },
  lbs: { unit: 'lbm', display: 'lb' },
  ounce: { unit: 'oz' },
  ounces: { unit: 'oz' },
  'fl oz': { unit: 'floz' },
  'fl. oz': { unit: 'floz' },
  tsp: { unit: 'teaspoon', display: 'tsp' },
  tbsp: { unit: 'tablespoon', display: 'tbsp' },
  ha: { unit: 'hectare', display: 'ha' },
  hectares: { unit: 'hectare' },
  'sq ft': { unit: 'sqft' },
  'square feet': { unit: 'sqft' },
  'sq m': { unit: 'm^2', display: 'm²' },
  'square meters': { unit: 'm^2', display: 'm²' },
  'square metres': { unit: 'm^2', display: 'm²' },
  'm²': { unit: 'm^2', display: 'm²' },
  'km²': { unit: 'km^2', display: 'km²' },
  'm³': { unit: 'm^3', display: 'm³' },
  metre: { unit: 'meter' },
  metres: { unit: 'meter' },
  kcal: { unit: 'kcal' },
  hr: { unit: 'h' },
  hrs: { unit: 'h' },
  mins: { unit: 'min' },
  secs: { unit: 's' },
};

export interface ResolvedUnit {
  unit: string;
  display: string;
}

/**
 * The mathjs name for what was written: Nook's spellings first, then as written, then in lower
 * case ("KM", "Kg"), so a case mathjs tells apart ("MB" and "Mb") is not lost.
 */
export function resolveUnit(written: string, known: (name: string) => boolean): ResolvedUnit | undefined {
  const text = written.trim().replace(/\s+/g, ' ').replace(/[µμ]/g, 'u');
  // The table first: "C" and "F" beside a temperature mean degrees, not coulombs and farads.
  const alias = Object.hasOwn(ALIASES, text.toLowerCase()) ? ALIASES[text.toLowerCase()] : undefined;
  if (alias) return { unit: alias.unit, display: alias.display ?? text };
  if (known(text)) return { unit: text, display: text };
  // "kilometres", "centimetres": mathjs knows the American spelling with every prefix.
  const american = text.replace(/metre(s?)$/i, 'meter$1');
  if (american !== text && known(american)) return { unit: american, display: text };
  const lower = text.toLowerCase();
  if (known(lower)) return { unit: lower, display: lower };
  return undefined;
}
