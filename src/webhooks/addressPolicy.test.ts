import { describe, expect, it } from 'vitest';
import { isNonPublicAddress, namesNonPublicHost } from './addressPolicy.ts';

describe('the receiver address policy', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:7f00:1',
  ])('treats %s as non-public', (address) => expect(isNonPublicAddress(address)).toBe(true));

  it.each(['93.184.216.34', '172.32.0.1', '8.8.8.8', '2606:4700:4700::1111'])('treats %s as public', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });

  it('recognises non-public hosts named in URLs, including bracketed IPv6 and localhost names', () => {
    expect(namesNonPublicHost(new URL('http://localhost:8080/hook'))).toBe(true);
    expect(namesNonPublicHost(new URL('http://api.localhost/hook'))).toBe(true);
    expect(namesNonPublicHost(new URL('http://[::1]:8080/hook'))).toBe(true);
    expect(namesNonPublicHost(new URL('http://[::ffff:127.0.0.1]/hook'))).toBe(true);
    expect(namesNonPublicHost(new URL('http://2130706433/hook'))).toBe(true);
    expect(namesNonPublicHost(new URL('https://hooks.example.com/candor'))).toBe(false);
  });
});
