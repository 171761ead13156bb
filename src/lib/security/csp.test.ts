import { describe, expect, it } from 'vitest';
import { CSP_DIRECTIVES, cspForHeader, cspForMeta, isAllowedModelUrl, plainHttpRefusal } from './csp';
import { DEFAULT_MLC_LIB_HOST, DEFAULT_MODEL_HOST } from '../models/hosts';
import { parseModelUrl } from '../models/model-url';

/** Does `source` (a CSP source expression) match `url`? Enough of CSP's matching for our sources. */
function sourceMatches(source: string, url: URL): boolean {
  if (source === "'self'" || source.startsWith("'")) return false;
  if (source.endsWith(':') && !source.includes('/')) return url.protocol === source;
  const match = /^(https?):\/\/([^/:]+)(?::(\*|\d+))?$/.exec(source);
  if (!match) return false;
  const [, scheme, host, port] = match;
  const hostOk = host!.startsWith('*.') ? url.hostname.endsWith(host!.slice(1)) : url.hostname === host;
  return `${scheme}:` === url.protocol && hostOk && (port === '*' || (port ?? '') === url.port);
}
const connectAllows = (href: string) => CSP_DIRECTIVES['connect-src']!.some((s) => sourceMatches(s, new URL(href)));

describe('the Content Security Policy', () => {
  it('allows no inline script, no eval, no plugin, no frame, no base and only our own forms', () => {
    expect(CSP_DIRECTIVES['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(cspForMeta()).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
    expect(CSP_DIRECTIVES['object-src']).toEqual(["'none'"]);
    expect(CSP_DIRECTIVES['frame-src']).toEqual(["'none'"]);
    expect(CSP_DIRECTIVES['base-uri']).toEqual(["'none'"]);
    expect(CSP_DIRECTIVES['form-action']).toEqual(["'self'"]);
  });

  it('carries frame-ancestors only in the header, where browsers honour it', () => {
    expect(cspForMeta()).not.toContain('frame-ancestors');
    expect(cspForHeader()).toBe(`${cspForMeta()}; frame-ancestors 'none'`);
  });

  it('lets the default model hosts, any https host and a loopback server through, and nothing else', () => {
    for (const href of [
      `${DEFAULT_MODEL_HOST}/Qwen/x-GGUF/resolve/main/x.gguf`,
      'https://cas-bridge.xethub.hf.co/xet-bridge-us/abc',
      `${DEFAULT_MLC_LIB_HOST}/v0_2_86/base/x.wasm`,
      'https://mirror.example.org/models/x.gguf',
      'http://127.0.0.1:8080/x.gguf',
      'http://localhost:3000/x.gguf',
    ]) {
      expect(connectAllows(href), href).toBe(true);
    }
    for (const href of ['http://example.com/x.gguf', 'http://192.168.1.20/x.gguf', 'ftp://example.com/x']) {
      expect(connectAllows(href), href).toBe(false);
    }
  });

  it('agrees with the address checks, which refuse plain http off this computer with a reason', () => {
    for (const href of ['https://a.example/x.gguf', 'http://127.0.0.1:4180/m.gguf', 'http://localhost/m.gguf']) {
      expect(isAllowedModelUrl(new URL(href))).toBe(connectAllows(href));
      expect(() => parseModelUrl(href)).not.toThrow();
    }
    expect(isAllowedModelUrl(new URL('http://192.168.1.20/m.gguf'))).toBe(false);
    expect(() => parseModelUrl('http://192.168.1.20/m.gguf')).toThrow(/only for this computer.*192\.168\.1\.20.*https/);
    expect(plainHttpRefusal(new URL('http://nas.local:8080/'))).toContain('nas.local:8080');
  });
});
