/**
 * keyv's own value format, written and read at native JSON speed.
 *
 * keyv's default serializer walks values in JavaScript and its deserializer parses with a reviver
 * (a function call per value) because of two escapes: a string starting with `:` is stored with
 * one more `:` in front, and a Buffer as the string `:base64:<data>`. A quiz game is tens of
 * kilobytes and is read on every answer, so that walk was most of a press's time. Here the native
 * JSON.stringify / JSON.parse do the work, and keyv's own functions run only when the text shows a
 * string value that starts with `:` (or a Buffer): the output is the same text keyv writes and
 * reads, so stored values stay interchangeable with plain keyv in both directions.
 */

/** A string value starting with `:` (or a key, or `a:` ending a key: those only cost the slow path). */
const COLON_STRING = /(?:^|[[,:])\s*":/;

export function serializeValue<T, Slow extends string | Promise<string>>(
  data: T,
  fallback: (data: T) => Slow,
): string | Slow {
  if (data === undefined || data === null) return 'null';
  const text = JSON.stringify(data);
  // JSON.stringify writes a Buffer as {"type":"Buffer","data":[…]}; keyv writes it as base64.
  if (text === undefined || COLON_STRING.test(text) || text.includes('"type":"Buffer"'))
    return fallback(data);
  return text;
}

export function deserializeValue<T>(text: string, fallback: (text: string) => T): T {
  return COLON_STRING.test(text) ? fallback(text) : (JSON.parse(text) as T);
}
