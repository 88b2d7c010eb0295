import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { HelmetOptions } from 'helmet';

/** The security headers of every response (helmet's defaults, with these changes). */
export const SECURITY_HEADER_OPTIONS: Readonly<HelmetOptions> = {
  // Swagger UI (/docs) runs under this policy: its own scripts, inline styles, data: images.
  contentSecurityPolicy: {
    directives: {
      'frame-ancestors': ["'none'"],
      'upgrade-insecure-requests': null,
    },
  },
  frameguard: { action: 'deny' },
  crossOriginEmbedderPolicy: false,
};

/**
 * The headers helmet sets with `options`, computed once: with no per-request directive (no nonces), helmet's
 * headers are the same on every response, so running its middleware per request (as @fastify/helmet does: two
 * hooks and a dozen setHeader calls) only cost CPU on every request (≈ 10 % of a health probe). Names lower-case.
 */
export function securityHeaders(options: Readonly<HelmetOptions> = SECURITY_HEADER_OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let done = false;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error('helmet refused its options');
    done = true;
  });
  // helmet's middleware is synchronous; if a version ever is not, fail at start-up rather than send no headers.
  if (!done) throw new Error('helmet did not finish synchronously: security headers unknown');
  return headers;
}
