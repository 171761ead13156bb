/**
 * ChannelWorker, a fake Worker named as one for unit tests: the worker's own serve code runs in
 * this process on one end of a real MessageChannel (so messages are structured-cloned and
 * transfers detach, as with a real worker), and the test can make it die or send a message that
 * cannot be read, which a MessagePort in Node cannot be made to do.
 */
import type { WorkerLike } from '../worker-bridge';

export class ChannelWorker implements WorkerLike {
  readonly #page: MessagePort;
  readonly #events = new EventTarget();
  /** The worker's end of the channel, as its serve code sees it. */
  readonly port: MessagePort;
  terminated = false;

  /** `serve` is called at once with the worker's end (e.g. `(port) => serveEngine(port, engine)`). */
  constructor(serve: (port: MessagePort) => void) {
    const { port1, port2 } = new MessageChannel();
    this.#page = port1;
    this.port = port2;
    serve(port2);
    port2.start();
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    this.#page.postMessage(message, transfer);
  }

  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: never) => void): void {
    if (type === 'message') {
      this.#page.addEventListener('message', listener as (event: MessageEvent) => void);
      this.#page.start();
    } else {
      this.#events.addEventListener(type, listener as (event: Event) => void);
    }
  }

  terminate(): void {
    this.terminated = true;
    this.#page.close();
    this.port.close();
  }

  /** The worker dies, as with an uncaught error in it: the page hears `error`. */
  crash(detail = 'Uncaught Error: boom'): void {
    this.#events.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: detail }));
  }

  /** The worker sends a message the page cannot deserialize: the page hears `messageerror`. */
  sendUnreadable(): void {
    this.#events.dispatchEvent(new Event('messageerror'));
  }
}
