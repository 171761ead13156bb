/**
 * Whether to ask before a model download because the data may cost the user: the browser says
 * Data Saver is on, or that the device is on mobile data. A model is hundreds of MB to GBs; on a
 * phone's plan that is not a download to start on one tap. Pure rules on what the Network
 * Information API reports (`saveData` everywhere Chromium runs, `type` on Android and ChromeOS);
 * where the API is missing nothing is asked, as before.
 */
import { formatBytes } from '../shared/format';

/** What `navigator.connection` reports, where it exists. */
export interface ConnectionFacts {
  saveData?: boolean;
  /** 'cellular', 'wifi', 'ethernet', …; only some platforms say. */
  type?: string;
}

/** The connection as this browser reports it; undefined where it does not. */
export function readConnection(): ConnectionFacts | undefined {
  const connection = (globalThis.navigator as (Navigator & { connection?: ConnectionFacts }) | undefined)?.connection;
  return connection ? { saveData: connection.saveData, type: connection.type } : undefined;
}

/** Why data may cost here, as the start of a sentence; undefined when nothing says so. */
export function meteredReason(connection: ConnectionFacts | undefined): string | undefined {
  if (connection?.saveData) return 'Data Saver is on';
  if (connection?.type === 'cellular') return 'This device is on mobile data';
  return undefined;
}

/**
 * The question to ask before fetching `remainingBytes` (undefined: the size is not known) of
 * `name`, or undefined when the download can start at once.
 */
export function dataCostQuestion(
  connection: ConnectionFacts | undefined,
  name: string,
  remainingBytes: number | undefined,
): string | undefined {
  const reason = meteredReason(connection);
  if (!reason || remainingBytes === 0) return undefined;
  const size =
    remainingBytes === undefined ? 'a download of unknown size' : `a ${formatBytes(remainingBytes)} download`;
  return `${reason}. ${name} is ${size}. Download it now, or wait for Wi-Fi?`;
}
