import { beforeAll, describe, expect, it } from 'vitest';
import { loadMath } from './load-math';
import { RESULT_LIMIT, runTool, TOOL_DEFINITIONS, toolLabel, toolsFor, WITHOUT_MEMORY } from './registry';
import type { ToolName, ToolOutcome } from './types';

const call = (name: string, args: unknown) => ({
  id: 'call-1',
  name,
  arguments: typeof args === 'string' ? args : JSON.stringify(args),
});
const NOW = () => new Date('2026-01-05T12:00:00Z');

describe('the tool definitions', () => {
  it('offer every tool by name, with the arguments the wiring relies on, as plain JSON', () => {
    const names: ToolName[] = ['calculator', 'date_time', 'convert_units', 'search_documents', 'remember'];
    expect(TOOL_DEFINITIONS.map((definition) => definition.function.name)).toEqual(names);
    expect(structuredClone(TOOL_DEFINITIONS)).toEqual(TOOL_DEFINITIONS);
    const calculator = TOOL_DEFINITIONS[0]!.function.parameters;
    expect(Object.keys(calculator.properties)).toEqual(['expression']);
    expect(calculator.required).toEqual(['expression']);
    for (const { function: tool } of TOOL_DEFINITIONS) {
      expect(tool.description.length).toBeLessThan(300);
      for (const key of tool.parameters.required ?? []) expect(tool.parameters.properties).toHaveProperty(key);
    }
    expect(toolsFor(['search_documents', 'calculator']).map((definition) => definition.function.name)).toEqual([
      'calculator',
      'search_documents',
    ]);
    expect(toolsFor()).toHaveLength(5);
  });

  it('label each tool for the step’s title', () => {
    expect(['calculator', 'date_time', 'convert_units', 'search_documents'].map(toolLabel)).toEqual([
      'calculator',
      'date and time',
      'unit conversion',
      'document search',
    ]);
    expect(toolLabel('web_browser')).toBe('web browser');
  });
});

describe('runTool', () => {
  beforeAll(() => loadMath(), 60_000);

  it('runs each tool from its JSON arguments', async () => {
    expect(await runTool(call('calculator', { expression: '2^10' }))).toEqual({ ok: true, result: '2^10 = 1024' });
    expect(await runTool(call('date_time', { operation: 'weekday', date: '2026-02-14' }), { now: NOW })).toEqual({
      ok: true,
      result: '2026-02-14 is a Saturday.',
    });
    expect(await runTool(call('date_time', { operation: 'now', time_zone: 'UTC' }), { now: NOW })).toMatchObject({
      ok: true,
      result: expect.stringContaining('Monday, 5 January 2026, 12:00'),
    });
    expect(await runTool(call('convert_units', { value: 5, from: 'km', to: 'mi' }))).toEqual({
      ok: true,
      result: '5 km = 3.10686 mi',
    });
    const queries: string[] = [];
    const searchDocuments = async (query: string): Promise<ToolOutcome> => {
      queries.push(query);
      return { ok: true, result: '[1] The lease ends in May.' };
    };
    expect(await runTool(call('search_documents', { query: 'lease end' }), { searchDocuments })).toEqual({
      ok: true,
      result: '[1] The lease ends in May.',
    });
    expect(queries).toEqual(['lease end']);
  });

  it('forgives a number as text, nulls, extra keys and JSON encoded twice', async () => {
    expect(await runTool(call('convert_units', { value: ' 5 ', from: 'km', to: 'mi', note: 'x' }))).toMatchObject({
      ok: true,
    });
    expect(
      await runTool(call('date_time', { operation: 'add_days', date: '2026-01-05', days: '3', time_zone: null })),
    ).toEqual({ ok: true, result: '2026-01-05 + 3 days = 2026-01-08 (Thursday).' });
    expect(await runTool(call('calculator', JSON.stringify(JSON.stringify({ expression: '1+1' }))))).toEqual({
      ok: true,
      result: '1+1 = 2',
    });
  });

  it('refuses malformed, missing or mistyped arguments with a sentence', async () => {
    expect(await runTool(call('calculator', '{"expression": "2+'))).toEqual({
      ok: false,
      error: 'The model’s arguments for calculator were not valid JSON.',
    });
    expect(await runTool(call('date_time', '[1, 2]'))).toEqual({
      ok: false,
      error: 'The model’s arguments for date and time were not a JSON object.',
    });
    expect(await runTool(call('calculator', {}))).toEqual({
      ok: false,
      error: 'The model’s call to calculator is missing “expression”.',
    });
    expect(await runTool(call('calculator', ''))).toMatchObject({
      ok: false,
      error: expect.stringContaining('missing'),
    });
    expect(await runTool(call('convert_units', { value: 1 }))).toEqual({
      ok: false,
      error: 'The model’s call to unit conversion is missing “from” and “to”.',
    });
    expect(await runTool(call('convert_units', { value: 'five', from: 'km', to: 'mi' }))).toEqual({
      ok: false,
      error: 'The model gave “value” for unit conversion as the text “five”, not a number.',
    });
    expect(await runTool(call('calculator', { expression: ['1+1'] }))).toMatchObject({
      ok: false,
      error: 'The model gave “expression” for calculator as a list, not text.',
    });
    expect(await runTool(call('date_time', { operation: 'add_days', days: 1.5 }))).toMatchObject({
      ok: false,
      error: expect.stringContaining('not a whole number'),
    });
    expect(await runTool(call('date_time', { operation: 'tomorrow' }))).toEqual({
      ok: false,
      error:
        'The model gave “operation” for date and time as “tomorrow”; it must be one of now, difference, add_days, weekday.',
    });
  });

  it('refuses a tool it does not have, and search when no documents are wired in', async () => {
    expect(await runTool(call('web_browser', { url: 'https://example.org' }))).toEqual({
      ok: false,
      error: 'Nook has no tool named “web_browser”.',
    });
    expect(await runTool(call('toString', {}))).toMatchObject({ ok: false, error: expect.stringContaining('no tool') });
    expect(await runTool(call('search_documents', { query: 'x' }))).toEqual({
      ok: false,
      error: 'Document search is not available here.',
    });
  });

  it('turns a thrown error into an outcome, and cuts a long result', async () => {
    const broken = async (): Promise<ToolOutcome> => {
      throw new Error('the index is closed');
    };
    expect(await runTool(call('search_documents', { query: 'x' }), { searchDocuments: broken })).toEqual({
      ok: false,
      error: 'The document search tool failed: the index is closed',
    });
    const long = async (): Promise<ToolOutcome> => ({ ok: true, result: '😀'.repeat(RESULT_LIMIT) });
    const outcome = await runTool(call('search_documents', { query: 'x' }), { searchDocuments: long });
    if (!outcome.ok) throw new Error(outcome.error);
    expect(outcome.result.length).toBeLessThanOrEqual(RESULT_LIMIT);
    expect(outcome.result).toMatch(/😀 … \[cut: longer than 4,000 characters\]$/);
  });
});

describe('the remember tool', () => {
  it('only asks: the fact goes to whoever asks the user, and memory off says so', async () => {
    const asked: string[] = [];
    const call = { id: '1', name: 'remember', arguments: '{"fact": "The user’s sister is called Ana."}' };
    const outcome = await runTool(call, {
      proposeMemory: (fact) => {
        asked.push(fact);
        return { ok: true, result: 'Asked.' };
      },
    });
    expect(outcome).toEqual({ ok: true, result: 'Asked.' });
    expect(asked).toEqual(['The user’s sister is called Ana.']);
    expect(await runTool(call)).toEqual({ ok: false, error: 'Memory is turned off.' });
    expect(toolsFor(WITHOUT_MEMORY).map((tool) => tool.function.name)).not.toContain('remember');
    expect(toolsFor().map((tool) => tool.function.name)).toContain('remember');
  });
});
