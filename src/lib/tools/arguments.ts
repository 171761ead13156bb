/**
 * Reads a tool call's raw JSON arguments against the tool's definition. A small model's JSON is
 * data to check, not to trust: it may be malformed, wrapped in a second layer of quotes, or carry
 * a number as text, a `null` for an argument it meant to leave out, or keys nobody asked for.
 * Those last three are forgiven; a missing or mistyped argument is refused with a sentence.
 */
import type { ToolDefinition } from './types';

export type ToolArguments = Record<string, string | number>;

export function readArguments(
  definition: ToolDefinition,
  label: string,
  text: string,
): { args: ToolArguments } | { problem: string } {
  let raw: unknown = {};
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
      // Some models encode the object twice: "{\"expression\": \"2+2\"}".
      if (typeof raw === 'string') raw = JSON.parse(raw);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      return { problem: `The model’s arguments for ${label} were not valid JSON.` };
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problem: `The model’s arguments for ${label} were not a JSON object.` };
  }
  const given = raw as Record<string, unknown>;
  const { properties, required = [] } = definition.function.parameters;
  const args: ToolArguments = {};
  for (const [key, parameter] of Object.entries(properties)) {
    const value = given[key];
    if (value === undefined || value === null) continue;
    const read = readValue(value, parameter.type);
    if (read === undefined) {
      return {
        problem: `The model gave “${key}” for ${label} as ${describe(value)}, not ${expected(parameter.type)}.`,
      };
    }
    if (parameter.enum && !parameter.enum.includes(String(read))) {
      return {
        problem: `The model gave “${key}” for ${label} as “${String(read).slice(0, 40)}”; it must be one of ${parameter.enum.join(', ')}.`,
      };
    }
    args[key] = read;
  }
  const missing = required.filter((key) => !Object.hasOwn(args, key));
  if (missing.length) {
    return { problem: `The model’s call to ${label} is missing ${missing.map((key) => `“${key}”`).join(' and ')}.` };
  }
  return { args };
}

function readValue(value: unknown, type: string): string | number | undefined {
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
    case 'number':
    case 'integer': {
      const number = typeof value === 'string' && value.trim() ? Number(value.trim()) : value;
      if (typeof number !== 'number' || !Number.isFinite(number)) return undefined;
      return type === 'integer' && !Number.isInteger(number) ? undefined : number;
    }
    default:
      return undefined;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `the text “${value.slice(0, 40)}”`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return `${value}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function expected(type: string): string {
  return { string: 'text', number: 'a number', integer: 'a whole number' }[type] ?? `a ${type}`;
}
