import { describe, expect, it } from 'vitest';
import { warmVerifier } from '../src/index.ts';

describe('warmVerifier', () => {
  it('passes its known answers (RFC 8032 TEST 1 verifies, a changed message does not; SHA-256 of "abc")', () => {
    expect(warmVerifier()).toBe(true);
  });
});
