/**
 * The MLC catalog is copied from web-llm's own `prebuiltAppConfig` so that the page never imports
 * web-llm. This test keeps the copy honest: when web-llm is upgraded, any id, library, memory
 * figure or context window that no longer matches fails here instead of at a user's download.
 */
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import webLlmPackage from '@mlc-ai/web-llm/package.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { MLC_LIB_VERSION, WEB_LLM_VERSION } from '../engine/mlc-version';
import { mlcUrls } from './catalog';
import { MLC_CATALOG } from './testing/shipped-catalog';

const prebuilt = new Map(prebuiltAppConfig.model_list.map((record) => [record.model_id, record]));
const variants = MLC_CATALOG.flatMap((entry) => Object.values(entry.variants).map((variant) => ({ entry, variant })));

describe("the MLC catalog against web-llm's prebuiltAppConfig", () => {
  it('names the library version of the installed web-llm', () => {
    expect(MLC_LIB_VERSION).toBe(`v${webLlmPackage.version.replaceAll('.', '_')}`);
    expect(WEB_LLM_VERSION).toBe(webLlmPackage.version);
  });

  it.each(variants.map(({ entry, variant }) => [variant.modelId, entry, variant] as const))(
    '%s: same weights, library, memory and context window',
    (modelId, entry, variant) => {
      const record = prebuilt.get(modelId);
      expect(record, `${modelId} is not in web-llm's prebuilt list`).toBeDefined();
      const urls = mlcUrls(variant);
      expect(urls.modelUrl).toBe(record!.model);
      expect(urls.modelLibUrl).toBe(record!.model_lib);
      expect(variant.vramRequiredMB).toBe(record!.vram_required_MB);
      // web-llm's own figure: the window it allocates. Without one it would read the model's
      // config at download time, and the catalog's figure could not be checked here.
      const window = record!.overrides?.context_window_size;
      expect(window, `web-llm names no context window for ${modelId}`).toBeDefined();
      expect(entry.contextWindow).toBe(window);
      expect(variant.modelId.includes(variant.precision === 'f16' ? 'q4f16' : 'q4f32')).toBe(true);
    },
  );
});
