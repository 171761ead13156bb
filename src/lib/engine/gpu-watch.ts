/// <reference lib="webworker" />
/**
 * Watches every WebGPU device created in this worker for loss. web-llm requests its device
 * internally (no option hands it ours) and only logs a loss, so the MLC worker wraps
 * `GPUAdapter.prototype.requestDevice` once, before web-llm runs: each device it gets is watched,
 * and a loss the app did not cause is reported, while idle as much as mid-reply.
 *
 * A device destroyed on purpose (web-llm unloading a model) reports `reason: 'destroyed'` and is
 * no fault. `loseDevicesForTest` destroys the watched devices as a real loss would end them; the
 * e2e suite calls it through the worker's global `nookGpuWatch`, since no test can make the GPU
 * fail. It does nothing unless called.
 */

export interface GpuWatch {
  /** Destroys every live device, reported as a loss; resolves with how many there were. */
  loseDevicesForTest(): Promise<number>;
}

export function watchGpuDevices(onLost: (message: string) => void): GpuWatch | undefined {
  const Adapter = (globalThis as { GPUAdapter?: typeof GPUAdapter }).GPUAdapter;
  if (!Adapter) return undefined;
  const live = new Set<GPUDevice>();
  const simulated = new WeakSet<GPUDevice>();
  const requestDevice = Adapter.prototype.requestDevice;
  Adapter.prototype.requestDevice = async function (this: GPUAdapter, descriptor?: GPUDeviceDescriptor) {
    const device = await requestDevice.call(this, descriptor);
    live.add(device);
    void device.lost.then((info) => {
      live.delete(device);
      if (info.reason === 'destroyed' && !simulated.has(device)) return;
      onLost(info.message || 'The GPU device was lost.');
    });
    return device;
  };
  return {
    async loseDevicesForTest() {
      const devices = [...live];
      for (const device of devices) {
        simulated.add(device);
        device.destroy();
      }
      await Promise.all(devices.map((device) => device.lost));
      return devices.length;
    },
  };
}
