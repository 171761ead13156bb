/**
 * The engine one translation run uses, set up: a server model the user picked, else Chrome's
 * on-device translator when it has the pair ready, else the model loaded on this device (the
 * order is lib/translate/run's `chooseEngine`). Keeps a token estimate per model, so its
 * calibration carries over from one document to the next.
 */
import { TokenEstimator } from '../../lib/engine/tokens';
import type { TranslationRecord } from '../../lib/translate/history';
import type { Language } from '../../lib/translate/languages';
import { BROWSER_ENGINE_NAME, chooseEngine } from '../../lib/translate/run';
import type { PieceTranslator } from '../../lib/translate/translate';
import type { JobModelState } from '../jobs/job-model.svelte';
import type { TranslateCode } from './code';

export interface RunEngine {
  translator: PieceTranslator;
  /** For the record and the view: who translates. */
  engine: TranslationRecord['engine'];
  /** The model's window (Chrome's translator has none to fit). */
  contextLength: number;
  /** The local engine is used: background work on it (a title) must give way first. */
  local: boolean;
  /** Frees what the run holds (Chrome's translator keeps memory). */
  release(): void;
}

export class TranslateEngines {
  /** Calibration survives between documents, per model. */
  readonly #estimators = new Map<string, TokenEstimator>();
  readonly #model: JobModelState;

  constructor(model: JobModelState) {
    this.#model = model;
  }

  /** The engine for a run from `from` to `to`; undefined when none can translate. */
  async forRun(code: TranslateCode, from: Language | undefined, to: Language): Promise<RunEngine | undefined> {
    const server = this.#model.server !== undefined;
    const builtIn = !server && from?.code && to.code ? await code.builtInTranslator(from.code, to.code) : undefined;
    const browserReady = builtIn?.kind === 'ready';
    const model = browserReady ? undefined : await this.#model.resolve();
    switch (chooseEngine({ server, browserReady, localLoaded: model !== undefined })) {
      case 'browser': {
        if (builtIn?.kind !== 'ready') return undefined;
        const translator = new code.BrowserPieceTranslator(builtIn.translator);
        const engine = { kind: 'browser', name: BROWSER_ENGINE_NAME } as const;
        return { translator, engine, contextLength: 4096, local: false, release: () => translator.destroy() };
      }
      case 'server':
      case 'local': {
        if (!model) return undefined;
        let estimator = this.#estimators.get(model.modelId);
        if (!estimator) this.#estimators.set(model.modelId, (estimator = new TokenEstimator()));
        const { contextLength } = model;
        const translator = new code.ModelPieceTranslator({ engine: model.engine, from, to, contextLength, estimator });
        const engine = { kind: model.where === 'server' ? 'server' : 'model', name: model.name } as const;
        return { translator, engine, contextLength, local: model.where === 'local', release: () => undefined };
      }
      case 'none':
        return undefined;
    }
  }
}
