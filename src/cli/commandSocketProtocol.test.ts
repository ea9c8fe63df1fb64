import { describe, expect, it } from 'vitest';
import { commandSocketPath, frame, frameReader, frameType, socketPathFits } from './commandSocketProtocol.ts';

describe('the command socket frames', () => {
  it('come out as they went in, however the bytes are split on the way', () => {
    const sent = [
      [frameType.stdout, Buffer.from('naïve, café\n')],
      [frameType.stderr, Buffer.alloc(0)],
      [frameType.end, Buffer.from('{"exitCode":0}')],
    ] as const;
    const bytes = Buffer.concat(sent.map(([type, payload]) => frame(type, payload)));
    for (const size of [1, 2, 5, 7, bytes.length]) {
      const received: Array<[number, string]> = [];
      const reader = frameReader((type, payload) => received.push([type, payload.toString('utf8')]));
      for (let at = 0; at < bytes.length; at += size) reader.push(bytes.subarray(at, at + size));
      expect(received).toEqual(sent.map(([type, payload]) => [type, payload.toString('utf8')]));
    }
  });
});

describe('the command socket path', () => {
  it('lies in the data directory, and is refused when the system would cut it (Node would, silently)', () => {
    expect(commandSocketPath('/srv/candor')).toBe('/srv/candor/candor.sock');
    expect(socketPathFits(commandSocketPath('/srv/candor'))).toBe(true);
    expect(socketPathFits(commandSocketPath(`/srv/${'d'.repeat(80)}`))).toBe(true);
    expect(socketPathFits(commandSocketPath(`/srv/${'d'.repeat(90)}`))).toBe(false);
    expect(socketPathFits(commandSocketPath(`/srv/${'é'.repeat(45)}`))).toBe(false);
  });
});
