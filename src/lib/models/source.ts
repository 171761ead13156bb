/** How to load a stored model: its record decides the backend and what the engine is given. */
import type { ModelSource } from '../engine/types';
import type { StoredModel } from './storage';

export function sourceOf(model: StoredModel): ModelSource {
  return model.backend === 'wllama'
    ? { backend: 'wllama', id: model.id }
    : {
        backend: 'web-llm',
        id: model.id,
        name: model.name,
        modelUrl: model.sourceUrl,
        modelLibUrl: model.modelLibUrl,
        ...(model.vramRequiredMB === undefined ? {} : { vramRequiredMB: model.vramRequiredMB }),
      };
}
