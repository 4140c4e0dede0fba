import fc from 'fast-check';
import Keyv from 'keyv';
import { describe, expect, test } from 'vitest';
import { deserializeValue, serializeValue } from '../../src/state/serialize.ts';

/** keyv's own serializer and deserializer: the format every stored value must keep. */
const reference = new Keyv();
const keyvSerialize = reference.serialize as (data: unknown) => string;
const keyvDeserialize = reference.deserialize as (text: string) => unknown;

const serialize = (data: unknown) => serializeValue(data, keyvSerialize);
const deserialize = (text: string) => deserializeValue(text, keyvDeserialize);

/** Strings that often start with `:` or hold JSON punctuation, the cases keyv escapes. */
const tricky = fc.oneof(
  fc.string(),
  fc.string().map((text) => `:${text}`),
  fc.string().map((text) => `::base64:${text}`),
  fc.constantFrom(':', '::', ':base64:aGk=', '",":x', '[":', 'a,":b', '\\', '\\":'),
);

/** JSON values as the store holds them (no sparse arrays, no undefined inside arrays). */
const { value: stored } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(tricky, tie('value'), { maxKeys: 5 }),
  ),
}));

describe("the store's value format", () => {
  test('is exactly the text keyv writes, and reads back as keyv reads it', () => {
    fc.assert(
      fc.property(stored, fc.option(fc.integer({ min: 0 }), { nil: undefined }), (value, expires) => {
        const envelope = { value, expires };
        const text = serialize(envelope);
        expect(text).toBe(keyvSerialize(envelope));
        expect(deserialize(text)).toEqual(keyvDeserialize(text));
      }),
      { numRuns: 2000 },
    );
  });

  test('keeps the escapes: colon strings and Buffers', () => {
    const envelope = {
      value: { note: ':starts with a colon', raw: Buffer.from('bytes'), list: [':a', 'b'] },
      expires: 5,
    };
    const text = serialize(envelope);
    expect(text).toBe(keyvSerialize(envelope));
    expect(deserialize(text)).toEqual(envelope);
  });

  test('takes the native path for ordinary values', () => {
    const slow = () => {
      throw new Error('the slow path ran');
    };
    const envelope = { value: { game: 'abc', rounds: [{ presses: [{ name: 'a:b', at: 1 }] }] } };
    const text = serializeValue(envelope, slow);
    expect(text).toBe(keyvSerialize(envelope));
    expect(deserializeValue(text, slow)).toEqual(envelope);
  });

  test('reads what other writers spaced out', () => {
    const text = '{ "value" : [ ":x", "y" ] }';
    expect(deserialize(text)).toEqual(keyvDeserialize(text));
  });
});
