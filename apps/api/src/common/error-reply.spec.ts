import { ArgumentsHost, Logger } from '@nestjs/common';
import { sendError } from './error-reply';

/** A reply that records what the filter did. */
function hostRecording() {
  const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const reply = {
    sent: false,
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    status(code: number) {
      sent.status = code;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  return { host, sent };
}

const render = (e: unknown) => ({ status: e instanceof Error && 'code' in e ? 503 : 500, body: { m: 'x' } });

describe('sendError', () => {
  it('answers a database outage 503 with Retry-After, and logs a burst of them once, without a stack', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    for (let i = 0; i < 50; i++) {
      const { host, sent } = hostRecording();
      sendError(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
        host,
        render,
      );
      expect(sent.status).toBe(503);
      expect(sent.headers['retry-after']).toBe('2');
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).not.toMatch(/\n\s+at /);
    expect(error).not.toHaveBeenCalled();
    warn.mockRestore();
    error.mockRestore();
  });

  it('logs another 5xx with its stack, SQL values redacted', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { host, sent } = hostRecording();
    sendError(new Error(`select * from "entitlement" where "subject_id" = 'account-42' - boom`), host, render);
    expect(sent.status).toBe(500);
    const logged = String(error.mock.calls[0][0]);
    expect(logged).toMatch(/"subject_id" = \? - boom\n\s+at /);
    expect(logged).not.toContain('account-42');
    error.mockRestore();
  });
});
