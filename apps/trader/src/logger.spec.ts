import { Writable } from 'node:stream';
import { createLogger } from './logger';

describe('logger', () => {
  it('redacts secrets wherever they appear in a log object', () => {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info(
      {
        alpaca_api_key: 'K-123',
        config: { alpaca_api_secret: 'S-456' },
        conn: { keyId: 'K-789', secretKey: 'S-000' },
      },
      'connecting',
    );
    expect(out).toMatch(/connecting/);
    expect(out).toMatch(/\[redacted\]/);
    for (const secret of ['K-123', 'S-456', 'K-789', 'S-000']) expect(out).not.toContain(secret);
  });
});
