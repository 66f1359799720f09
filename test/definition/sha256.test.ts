import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha256Hex } from '../../src/definition/sha256';

/** The core's own SHA-256 (the definition fingerprint) equals node:crypto's, byte for byte. */
describe('sha256Hex', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    // FIPS 180-4's two-block example (56 bytes: the padding spills into a second block).
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('when the text is %j, then the digest is the standard one', (text, digest) => {
    expect(sha256Hex(text)).toBe(digest);
  });

  it('when texts of any length and alphabet are hashed, then the digest equals node:crypto', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ minLength: 50, maxLength: 70 })), (text) => {
        expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
      }),
      { numRuns: 2000 },
    );
  });
});
