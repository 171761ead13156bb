/**
 * What this device offers for running models (the WebGPU adapter's features and limits, the
 * memory the browser reports), probed once per page — after start-up, or earlier by the first
 * model load — and kept: one adapter request per start. The engine reads it to pick llama.cpp's
 * WebGPU path, the Models view to label the catalog; the rules live in lib/models/fit.
 */
import { probeDevice } from '../../lib/models/device';
import type { DeviceDescription } from '../../lib/models/fit';

export interface WebGpuSupport {
  adapter: boolean;
  shaderF16: boolean;
}

export class DeviceState {
  #description = $state.raw<DeviceDescription | undefined>(undefined);

  /** Undefined until the probe has answered. */
  get description(): DeviceDescription | undefined {
    return this.#description;
  }

  /** What DeviceInfo shows; derived from the probe. */
  readonly webGpu = $derived<WebGpuSupport | undefined>(
    this.#description && {
      adapter: this.#description.webGpu !== undefined,
      shaderF16: this.#description.webGpu?.shaderF16 ?? false,
    },
  );

  #probing: Promise<DeviceDescription> | undefined;
  readonly #probe: () => Promise<DeviceDescription>;

  constructor(probe: () => Promise<DeviceDescription> = probeDevice) {
    this.#probe = probe;
  }

  /** The description, probed the first time it is asked for. */
  ready(): Promise<DeviceDescription> {
    return (this.#probing ??= this.#probe().then((description) => (this.#description = description)));
  }
}
