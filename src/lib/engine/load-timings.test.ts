import { describe, expect, it } from 'vitest';
import { formatLoadSteps, loadSteps, type StampedLine } from './load-timings';

// The moments wllama 3.8.1's load logs these lines (seen in the raw bench page's timeline).
const log: StampedLine[] = [
  [420, 'Multithread enabled: true, pthreadPoolSize: 2'],
  [900, 'Loading model...'],
  [1500, 'llama_model_loader: loaded meta data with 22 key-value pairs and 290 tensors'],
  [2100, 'load_tensors: loading model tensors, this can take a while... (load_mode = none)'],
  [4300, 'llama_context: constructing llama_context'],
  [4400, 'llama_kv_cache:        CPU KV buffer size =    48.00 MiB'],
];

describe('loadSteps', () => {
  it("splits a worker's first load into its start-up, the stored files, llama.cpp's start, header, tensors and context", () => {
    expect(loadSteps({ started: 250, firstLoad: true, stored: 300, ended: 4600, log })).toEqual([
      ['engine worker start', 250],
      ['stored files', 50],
      ['llama.cpp start', 600],
      ['header + vocabulary', 1200],
      ['tensors', 2200],
      ['context', 300],
    ]);
  });

  it('leaves the worker start-up out of later loads (the worker was up long before)', () => {
    const steps = loadSteps({ started: 60_000, firstLoad: false, stored: 60_010, ended: 60_400, log: [] });
    expect(steps.map(([step]) => step)).not.toContain('engine worker start');
  });

  it('merges a step whose log line never came into the next, so the steps still add up to the load', () => {
    const withoutHeaderLine = log.filter(([, line]) => !line.startsWith('load_tensors'));
    const steps = loadSteps({ started: 0, firstLoad: false, stored: 300, ended: 4600, log: withoutHeaderLine });
    expect(steps).toEqual([
      ['stored files', 300],
      ['llama.cpp start', 600],
      ['header + vocabulary + tensors', 3400],
      ['context', 300],
    ]);
    expect(steps.reduce((sum, [, ms]) => sum + ms, 0)).toBe(4600);
  });

  it('puts everything after the stored files into one step when the log was silent', () => {
    expect(loadSteps({ started: 0, firstLoad: false, stored: 10, ended: 510, log: [] })).toEqual([
      ['stored files', 10],
      ['llama.cpp start + header + vocabulary + tensors + context', 500],
    ]);
  });
});

describe('formatLoadSteps', () => {
  it('writes the steps as one line of the load log', () => {
    expect(
      formatLoadSteps([
        ['stored files', 12],
        ['tensors', 2200],
      ]),
    ).toBe('Load timings (ms): stored files 12, tensors 2200');
  });
});
