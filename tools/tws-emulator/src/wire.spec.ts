import { encodeMessage, WireReader } from './wire';

describe('wire framing', () => {
  it('reads the greeting and length-prefixed messages split across chunks', () => {
    const version = Buffer.from('v100..193');
    const head = Buffer.alloc(4);
    head.writeUInt32BE(version.length);
    const greeting = Buffer.concat([Buffer.from('API\0'), head, version]);
    const msg = encodeMessage([71, 2, 7, '']);
    const all = Buffer.concat([greeting, msg]);
    const reader = new WireReader();
    const events = [
      ...reader.push(all.subarray(0, 5)),
      ...reader.push(all.subarray(5, 20)),
      ...reader.push(all.subarray(20)),
    ];
    expect(events).toEqual([
      { kind: 'hello', minVersion: 100, maxVersion: 193 },
      { kind: 'message', fields: ['71', '2', '7', ''] },
    ]);
  });

  it('encodes booleans as 0/1 and missing values as empty fields', () => {
    const buf = encodeMessage([1, true, false, undefined, 'x']);
    expect(buf.readUInt32BE(0)).toBe(buf.length - 4);
    expect(buf.subarray(4).toString()).toBe('1\u00001\u00000\u0000\u0000x\u0000');
  });

  it('rejects a connection without the API greeting', () => {
    expect(new WireReader().push(Buffer.from('GET / HTTP/1.1\r\n'))[0]?.kind).toBe('invalid');
  });
});
