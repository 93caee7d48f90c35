import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contains, formatCidr, formatIPv4, overlaps, parseCidr, parseIPv4 } from '../../src/network/ip.js';
import { macFromIPv4 } from '../../src/network/mac.js';

describe('IPv4 helpers', () => {
  it('parses, formats and compares subnets', () => {
    assert.equal(formatIPv4(parseIPv4('255.1.0.254')), '255.1.0.254');
    assert.throws(() => parseIPv4('1.2.3.256'), { code: 'INVALID_ADDRESS' });
    assert.equal(formatCidr(parseCidr('10.1.2.3/8', true)), '10.0.0.0/8');
    assert.ok(contains(parseCidr('172.17.0.0/16'), parseIPv4('172.17.255.255')));
    assert.ok(!contains(parseCidr('172.17.0.0/16'), parseIPv4('172.18.0.0')));
    assert.ok(overlaps(parseCidr('10.0.0.0/8'), parseCidr('10.5.0.0/16')));
    assert.ok(overlaps(parseCidr('10.5.0.0/16'), parseCidr('10.0.0.0/8')));
    assert.ok(!overlaps(parseCidr('10.5.0.0/16'), parseCidr('10.6.0.0/16')));
    assert.ok(overlaps(parseCidr('0.0.0.0/0'), parseCidr('1.2.3.0/24')));
    assert.equal(macFromIPv4(parseIPv4('172.17.0.2')), '02:42:ac:11:00:02');
  });
});
