/**
 * The on-device tools a model may call (calculator, date and time, unit conversion, document
 * search, offering to remember a fact): their definitions in the OpenAI function-tool form, and `runTool`, which checks a
 * call's arguments, runs it and always answers with a `ToolOutcome`, never a throw.
 *
 * This folder owns the tools' logic only. It knows no engine, conversation or store: document
 * search and the memory offer come in as functions, the clock as `now`, and whoever runs the model decides which
 * tools to offer and how many rounds to allow (lib/chat/tool-rounds). mathjs, behind the
 * calculator and conversions, is imported on first use, never in the first paint.
 */
import { assertNever } from '../shared/assert-never';
import { readArguments, type ToolArguments } from './arguments';
import { calculate } from './calculator';
import { DATE_TIME_OPERATIONS, dateTime, type DateTimeOperation } from './date-time';
import { failed, type ToolCall, type ToolDefinition, type ToolName, type ToolOutcome } from './types';
import { convertUnits } from './units';
import { checkMemoryText } from '../memory/memory';

/** What a model reads back from one call, at most: a tool result is data in a small context. */
export const RESULT_LIMIT = 4000;

export interface ToolDeps {
  searchDocuments?: (query: string) => Promise<ToolOutcome>;
  /** Asks the user whether to remember a fact (never stores it: only the user does). */
  proposeMemory?: (fact: string) => ToolOutcome;
  now?: () => Date;
}

export const TOOL_DEFINITIONS: readonly ToolDefinition[] = [
  {
    type: 'function',
    function: {
      name: 'calculator',
      description:
        'Work out an arithmetic expression exactly. Use it for every sum, percentage, power or root instead of ' +
        'calculating in your head. Knows + - * / ^ %, parentheses, sqrt, log, sin, cos, round and pi.',
      parameters: {
        type: 'object',
        properties: {
          expression: { type: 'string', description: 'The expression, for example "15% of 80" or "(3.5 + 2) * 4^2".' },
        },
        required: ['expression'],
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'date_time',
      description:
        'Get today’s date and the time now, count the days between two dates, add days to a date, or find the ' +
        'weekday of a date.',
      parameters: {
        type: 'object',
        properties: {
          operation: {
            type: 'string',
            enum: [...DATE_TIME_OPERATIONS],
            description:
              'now: the date and time now. difference: days from date to other_date (default today). ' +
              'add_days: date (default today) plus days. weekday: the weekday of date (default today).',
          },
          date: { type: 'string', description: 'A date as YYYY-MM-DD, or today, tomorrow or yesterday.' },
          other_date: { type: 'string', description: 'The second date for difference, as YYYY-MM-DD.' },
          days: { type: 'integer', description: 'For add_days: how many days to add; negative goes back.' },
          time_zone: { type: 'string', description: 'An IANA time zone such as Europe/Paris; default: the user’s.' },
        },
        required: ['operation'],
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'convert_units',
      description:
        'Convert a quantity from one unit to another: length, mass, volume, temperature, speed, area, energy, ' +
        'data and more.',
      parameters: {
        type: 'object',
        properties: {
          value: { type: 'number', description: 'The amount to convert, for example 5.' },
          from: { type: 'string', description: 'The unit it is in, for example km, lb, °C, mph or cup.' },
          to: { type: 'string', description: 'The unit wanted, for example mi, kg, °F, km/h or ml.' },
        },
        required: ['value', 'from', 'to'],
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'search_documents',
      description:
        'Search the user’s own documents on this device for passages about a question. Use it when the user ' +
        'asks about their files, notes or documents.',
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'What to look for, in a few words.' },
        },
        required: ['query'],
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'remember',
      description:
        'Offer to remember a lasting fact the user told you about themselves or their life (a name, a ' +
        'preference, a date) for later conversations. The user is asked first; it is kept only if they agree.',
      parameters: {
        type: 'object',
        properties: {
          fact: {
            type: 'string',
            description: 'The fact in one short sentence, for example "The user\'s sister is called Ana."',
          },
        },
        required: ['fact'],
        additionalProperties: false,
      },
    },
  },
];

const LABELS: Record<ToolName, string> = {
  calculator: 'calculator',
  date_time: 'date and time',
  convert_units: 'unit conversion',
  search_documents: 'document search',
  remember: 'memory',
};

/** Every tool but memory's: what a reply is offered while memory is off. */
export const WITHOUT_MEMORY: readonly ToolName[] = ['calculator', 'date_time', 'convert_units', 'search_documents'];

export const isToolName = (name: string): name is ToolName => Object.hasOwn(LABELS, name);

/** The words after "Used" in a step's title: "Used calculator", "Used date and time". */
export function toolLabel(name: string): string {
  return isToolName(name) ? LABELS[name] : name.replace(/_/g, ' ');
}

/** The definitions to offer a model, in the registry's order; all of them by default. */
export function toolsFor(names?: readonly ToolName[]): ToolDefinition[] {
  return TOOL_DEFINITIONS.filter((definition) => !names || names.includes(definition.function.name as ToolName));
}

export async function runTool(call: ToolCall, deps: ToolDeps = {}): Promise<ToolOutcome> {
  const definition = TOOL_DEFINITIONS.find((candidate) => candidate.function.name === call.name);
  if (!definition || !isToolName(call.name)) return failed(`Nook has no tool named “${call.name.slice(0, 60)}”.`);
  const label = toolLabel(call.name);
  const read = readArguments(definition, label, call.arguments);
  if ('problem' in read) return failed(read.problem);
  try {
    return capped(await dispatch(call.name, read.args, deps));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return capped(failed(`The ${label} tool failed: ${reason}`));
  }
}

/** Arguments arrive checked against the definition: each cast below is to the type it declares. */
function dispatch(name: ToolName, args: ToolArguments, deps: ToolDeps): Promise<ToolOutcome> {
  switch (name) {
    case 'calculator':
      return calculate(args.expression as string);
    case 'date_time':
      return Promise.resolve(
        dateTime(
          {
            operation: args.operation as DateTimeOperation,
            date: args.date as string | undefined,
            other_date: args.other_date as string | undefined,
            days: args.days as number | undefined,
            time_zone: args.time_zone as string | undefined,
          },
          deps.now?.() ?? new Date(),
        ),
      );
    case 'convert_units':
      return convertUnits(args.value as number, args.from as string, args.to as string);
    case 'search_documents':
      if (!deps.searchDocuments) return Promise.resolve(failed('Document search is not available here.'));
      return deps.searchDocuments(args.query as string);
    case 'remember': {
      if (!deps.proposeMemory) return Promise.resolve(failed('Memory is turned off.'));
      const checked = checkMemoryText(args.fact as string);
      return Promise.resolve(checked.ok ? deps.proposeMemory(checked.text) : failed(checked.reason));
    }
    default:
      return assertNever(name);
  }
}

function capped(outcome: ToolOutcome): ToolOutcome {
  const text = outcome.ok ? outcome.result : outcome.error;
  if (text.length <= RESULT_LIMIT) return outcome;
  const note = ` … [cut: longer than ${RESULT_LIMIT.toLocaleString('en')} characters]`;
  let kept = text.slice(0, RESULT_LIMIT - note.length);
  // Never leave half of a surrogate pair at the cut.
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return outcome.ok ? { ok: true, result: kept + note } : { ok: false, error: kept + note };
}
