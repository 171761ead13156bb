/**
 * Where a GGUF model load spends its time, from stamps the engine takes and the moments
 * llama.cpp's (and wllama's) log lines arrived. One line of it goes into the load log, so the
 * diagnostics panel and the bench can say which step costs: starting our engine worker, reading
 * the stored record and files, starting llama.cpp (its worker, the wasm), reading the GGUF header
 * and vocabulary, reading the tensors, and setting up the context (KV cache, compute buffers).
 */

/** A log line and when it arrived (performance.now() of the engine worker). */
export type StampedLine = readonly [at: number, line: string];

export interface LoadStamps {
  /**
   * When the load began in the engine worker. On the worker's first load everything before it is
   * the worker's own start-up (fetching and running its script), counted as a step.
   */
  started: number;
  firstLoad: boolean;
  /** The stored record was read and its files opened. */
  stored: number;
  /** wllama resolved the load. */
  ended: number;
  log: readonly StampedLine[];
}

/** Log lines that open each step inside wllama's load, in order. */
const STEP_MARKERS: readonly (readonly [step: string, marker: RegExp])[] = [
  // wllama says so once the wasm is compiled and llama.cpp's worker has started.
  ['llama.cpp start', /^Loading model\.\.\./],
  // llama.cpp begins reading tensor data once the header and vocabulary are parsed.
  ['header + vocabulary', /load_tensors: loading model tensors/],
  ['tensors', /llama_context: constructing llama_context/],
];

/**
 * The load's steps with their durations in ms, in order. A step whose marker never appeared (an
 * older or newer wllama logs differently) is merged into the one after it, so the durations
 * always add up to the whole load.
 */
export function loadSteps({ started, firstLoad, stored, ended, log }: LoadStamps): [step: string, ms: number][] {
  const steps: [string, number][] = [
    ...(firstLoad ? [['engine worker start', started] as [string, number]] : []),
    ['stored files', stored - started],
  ];
  let from = stored;
  let pending = '';
  for (const [step, marker] of STEP_MARKERS) {
    const at = log.find(([, line]) => marker.test(line))?.[0];
    if (at === undefined || at < from) {
      pending = pending ? `${pending} + ${step}` : step;
      continue;
    }
    steps.push([pending ? `${pending} + ${step}` : step, at - from]);
    pending = '';
    from = at;
  }
  steps.push([pending ? `${pending} + context` : 'context', ended - from]);
  return steps.map(([step, ms]) => [step, Math.max(0, Math.round(ms))]);
}

/** The steps as one log line, e.g. "Load timings (ms): engine worker start 210, stored files 12, …". */
export function formatLoadSteps(steps: readonly [string, number][]): string {
  return `Load timings (ms): ${steps.map(([step, ms]) => `${step} ${ms}`).join(', ')}`;
}
