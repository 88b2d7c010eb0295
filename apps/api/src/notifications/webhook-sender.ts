import { request as httpRequest } from 'node:http';
import { request as httpsRequest, RequestOptions } from 'node:https';
import { LookupFunction } from 'node:net';
import { ResolvedTarget } from './target-guard';

export interface SendResult {
  /** The HTTP status, or null when no response came (connection refused, timeout, ...). */
  statusCode: number | null;
  error?: string;
}

/** How much of a receiver's response is read (and then dropped). */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs `body` to the checked target: the connection goes to the address resolved and checked before (a
 * lookup that answers it), the TLS name and Host header stay the URL's. Never throws; a response is read up
 * to 64 KiB; `timeoutMs` bounds the whole exchange; `signal` aborts it (shutdown).
 */
export function postWebhook(
  target: ResolvedTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<SendResult> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const { url } = target;
  const options: RequestOptions = {
    method: 'POST',
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body).toString() },
    lookup: pinned,
    signal,
    timeout: timeoutMs,
  };
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const done = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(options, (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) res.destroy();
      });
      const finish = () => done({ statusCode: res.statusCode ?? null });
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`no response within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('error', (err) => done({ statusCode: null, error: err.message || String(err) }));
    req.end(body);
  });
}
