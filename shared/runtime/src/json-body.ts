import express, { type RequestHandler } from 'express';

/**
 * Deepest nesting of arrays and objects a JSON request body may have. A custody batch needs 4
 * (`{ events: [ { items: [ … ] } ] }`); the rest is headroom for future fields.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * express.json with a nesting bound: a body nested deeper than `maxDepth` is answered 400
 * `JSON_TOO_DEEP` before it is parsed, so no code after the parser meets a structure a recursive
 * walk (a validator, a logger, JSON.stringify) would overflow the stack on. Malformed JSON is 400
 * `BAD_JSON` and a body over `limit` 413, as sendError answers express' own errors.
 */
export function jsonBody(opts: { limit: string | number; maxDepth?: number }): RequestHandler {
  const maxDepth = opts.maxDepth ?? MAX_JSON_DEPTH;
  return express.json({
    limit: opts.limit,
    verify: (_req, _res, body) => {
      if (exceedsJsonDepth(body, maxDepth)) {
        throw Object.assign(
          new Error(`the JSON body nests arrays and objects deeper than ${maxDepth} levels`),
          { status: 400, type: 'entity.too.deep' },
        );
      }
    },
  });
}

/**
 * Whether JSON text nests arrays and objects deeper than `max`, in one linear pass over the bytes
 * (brackets inside strings do not count). It does not validate: JSON.parse still does.
 * @example exceedsJsonDepth(Buffer.from('[[1]]'), 1) // true
 */
export function exceedsJsonDepth(text: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash: the next byte is escaped, whatever it is
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
