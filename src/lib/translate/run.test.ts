import { describe, expect, it } from 'vitest';
import { EngineError } from '../engine/errors';
import { TRANSLATION_SCHEMA_VERSION } from './history';
import {
  chooseEngine,
  engineSentence,
  failureMessage,
  progressLabel,
  requestProblem,
  stoppedNotice,
  translationRecord,
} from './run';
import { TranslateError } from './translate';

const english = { code: 'en', name: 'English' };
const french = { code: 'fr', name: 'French' };

describe('which engine translates', () => {
  it('a picked server model wins, then Chrome’s translator when ready, then the loaded model', () => {
    expect(chooseEngine({ server: true, browserReady: true, localLoaded: true })).toBe('server');
    expect(chooseEngine({ server: false, browserReady: true, localLoaded: true })).toBe('browser');
    expect(chooseEngine({ server: false, browserReady: false, localLoaded: true })).toBe('local');
    expect(chooseEngine({ server: false, browserReady: false, localLoaded: false })).toBe('none');
  });

  it('the view says which, and says so when the text leaves the device', () => {
    const server = { modelId: 'qwen', host: 'gpu.lan:8080' };
    expect(engineSentence({ server, browserNote: 'ready', localName: 'Tiny', from: english, to: french })).toBe(
      'qwen on gpu.lan:8080 translates: the text is sent to that server, off this device.',
    );
    expect(engineSentence({ browserNote: 'ready', localName: 'Tiny', from: english, to: french })).toBe(
      'Chrome’s on-device translator translates English → French (no model needed).',
    );
    expect(engineSentence({ browserNote: 'not-ready', localName: 'Tiny', from: english, to: french })).toBe(
      'Tiny, the model loaded on this device, translates: Chrome’s on-device translator does not have English → French on this device (it would need a download).',
    );
    expect(engineSentence({ browserNote: 'no-pair', to: french })).toBe('The model you load translates.');
  });
});

describe('a run’s sentences', () => {
  it('bad requests get a sentence before anything runs', () => {
    expect(requestProblem('  \n', english, french)).toMatch(/no text to translate/);
    expect(requestProblem('Hello', english, undefined)).toBe('Choose a language to translate to.');
    expect(requestProblem('Bonjour', french, { name: 'french' })).toMatch(/already in french/);
    expect(requestProblem('Hello', undefined, french)).toBeUndefined();
  });

  it('a failure says what happened; a stop says what it kept', () => {
    expect(failureMessage(new EngineError('busy', 'busy'))).toMatch(/busy with a chat reply/);
    expect(failureMessage(new TranslateError('context-too-small', 'The window is too small.'))).toBe(
      'The window is too small.',
    );
    expect(failureMessage(new Error('Network down'))).toBe('Network down');
    expect(stoppedNotice(0)).toBe('Stopped. Nothing was kept.');
    expect(stoppedNotice(1)).toBe('Stopped after 1 finished part. Keep them, or discard them.');
    expect(stoppedNotice(3)).toBe('Stopped after 3 finished parts. Keep them, or discard them.');
  });

  it('the saved record says who translated, what and how much, trimmed', () => {
    const about = {
      sourceName: 'notes.md',
      sourceChars: 120,
      from: english,
      to: french,
      engine: { kind: 'server', name: 'qwen on gpu.lan:8080' } as const,
    };
    const record = translationRecord(
      about,
      { text: ' Bonjour.\n', parts: 2, flaggedParts: 1, partial: true },
      'id-1',
      5,
    );
    expect(record).toEqual({
      schema: TRANSLATION_SCHEMA_VERSION,
      id: 'id-1',
      sourceName: 'notes.md',
      sourceChars: 120,
      from: english,
      to: french,
      engine: { kind: 'server', name: 'qwen on gpu.lan:8080' },
      createdAt: 5,
      text: 'Bonjour.',
      parts: 2,
      flaggedParts: 1,
      partial: true,
    });
    expect(record.to).not.toBe(french); // a copy: a later change of the picker cannot touch it
  });
});

describe('the progress line', () => {
  it('counts parts, and says when a part is tried again', () => {
    expect(progressLabel(undefined)).toBe('Preparing…');
    expect(progressLabel({ part: 2, total: 5, attempt: 1 })).toBe('Part 2 of 5');
    expect(progressLabel({ part: 2, total: 5, attempt: 2 })).toBe('Part 2 of 5 (second try: something was lost)');
  });
});
