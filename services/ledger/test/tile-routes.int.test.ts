// The C2SP tlog-tiles routes and checkpoints at earlier sizes, over a database whose leaves run ahead
// of its latest checkpoint, with one leaf too long for an entry bundle. No Kafka: records are folded
// straight in. (test/tiles-interop.int.test.ts reads a real node with Go's tiles client.)
import {
  decodeEntryBundle,
  decodeHashTile,
  formatTilePath,
  leafHash,
  rootFromTiles,
  type Tile,
  toHex,
  treeTiles,
  verifyCheckpoint,
} from '@rxledger/tlog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_VKEY_META } from '../src/node/checkpointer.ts';
import { ROUTES_ORIGIN, startRoutesServer } from './support/routes-server.ts';
import { tempLedger } from './support/temp-ledger.ts';
import { pack, TestChain } from './support/test-chain.ts';

describe('tile routes', () => {
  const chain = new TestChain();
  const ledger = tempLedger(chain.authority.verifyingKey);
  let server: Awaited<ReturnType<typeof startRoutesServer>>;
  const commission = (...items: number[]) =>
    chain.event(chain.maker, {
      type: 'COMMISSION',
      items: items.map(pack),
      lot: 'L',
      expiry: '281231',
    } as never);
  const count = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

  beforeAll(async () => {
    server = await startRoutesServer(ledger);
    ledger.folder.fold([chain.record(chain.sign(chain.genesis(), chain.authority))]);
    ledger.folder.fold(count(1, 299).map((i) => commission(i))); // leaves 0..299
    server.checkpointNow(); // size 300
    ledger.folder.fold([commission(...count(10_000, 1_600))]); // leaf 300: over 64 KiB
    ledger.folder.fold([commission(400), commission(401)]);
    server.checkpointNow(); // size 303
    ledger.folder.fold(count(500, 217).map((i) => commission(i))); // 520 leaves, unsigned
  });
  afterAll(async () => {
    await server?.stop();
    ledger.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${server.url}/${path}`);
    return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
  };
  const errorOf = (bytes: Uint8Array) =>
    (JSON.parse(new TextDecoder().decode(bytes)) as { error: { code: string; message: string } }).error;

  it('serves the latest checkpoint at /checkpoint, the same note as /v1/checkpoint, not to be cached', async () => {
    const tiles = await fetch(`${server.url}/checkpoint`);
    const v1 = await fetch(`${server.url}/v1/checkpoint`);
    expect(tiles.status).toBe(200);
    expect(tiles.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(tiles.headers.get('cache-control')).toBe('no-cache');
    const note = await tiles.text();
    expect(note).toBe(await v1.text());
    expect(verifyCheckpoint(note, ledger.store.meta(CHECKPOINT_VKEY_META)!).size).toBe(303);
  });

  it('serves the checkpoint signed at exactly an earlier size, and 404 for a size never signed', async () => {
    const earlier = await fetch(`${server.url}/v1/checkpoint?size=300`);
    expect(earlier.status).toBe(200);
    const checkpoint = verifyCheckpoint(await earlier.text(), ledger.store.meta(CHECKPOINT_VKEY_META)!);
    expect(checkpoint).toMatchObject({ origin: ROUTES_ORIGIN, size: 300 });
    expect(toHex(checkpoint.root)).toBe(toHex(ledger.store.checkpoint(300)!.root));

    const never = await fetch(`${server.url}/v1/checkpoint?size=301`);
    expect(never.status).toBe(404);
    expect(((await never.json()) as { error: unknown }).error).toMatchObject({
      code: 'NO_CHECKPOINT_AT_SIZE',
      message: 'this node signed no checkpoint at size 301; its latest is at size 303',
    });
    for (const [query, field] of [
      ['size=3x', 'size'],
      ['size=', 'size'],
      ['size=0300', 'size'],
      ['size=300&root=1', 'root'],
    ] as const) {
      const res = await fetch(`${server.url}/v1/checkpoint?${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(
        [field],
      );
    }
  });

  it("serves every tile of the signed tree, whose root is the checkpoint's, full ones immutable", async () => {
    const tiles = new Map<string, Uint8Array>();
    for (const tile of treeTiles(303)) {
      const path = formatTilePath(tile);
      const { res, bytes } = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(res.headers.get('cache-control'), path).toBe(
        tile.width === 256 ? 'public, max-age=31536000, immutable' : 'public, max-age=60',
      );
      tiles.set(path, bytes);
    }
    expect([...tiles.keys()]).toEqual(['tile/0/000', 'tile/0/001.p/47', 'tile/1/000.p/1']);
    const root = rootFromTiles(303, (tile: Tile) => tiles.get(formatTilePath(tile))!);
    expect(toHex(root)).toBe(toHex(ledger.store.latestCheckpoint()!.root));
    // A partial tile of an earlier checkpoint is a prefix of the current one.
    const earlier = (await get('tile/0/001.p/44')).bytes;
    expect(earlier).toEqual(tiles.get('tile/0/001.p/47')!.subarray(0, 44 * 32));
  });

  it('bundles the leaves exactly as hashed: each entry hashes to its level-0 tile hash', async () => {
    const hashes = decodeHashTile((await get('tile/0/000')).bytes);
    const { res, bytes } = await get('tile/entries/000');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const entries = decodeEntryBundle(bytes);
    expect(entries).toHaveLength(256);
    entries.forEach((entry, i) => {
      expect(toHex(leafHash(entry)), `entry ${i}`).toBe(toHex(hashes[i]!));
      expect(entry).toEqual(ledger.store.leaf(i)!.leaf);
    });
    expect(decodeEntryBundle((await get('tile/entries/001.p/44')).bytes)).toHaveLength(44);
  });

  it('refuses a bundle holding a leaf over 65,535 bytes, naming the leaf, with a 4xx a client does not retry', async () => {
    expect(ledger.store.leaf(300)!.leaf.length).toBeGreaterThan(0xffff);
    const { res, bytes } = await get('tile/entries/001.p/47');
    expect(res.status).toBe(422);
    expect(errorOf(bytes)).toMatchObject({
      code: 'ENTRY_TOO_LARGE',
      message: expect.stringMatching(
        /^leaf 300 is \d+ bytes; a tlog-tiles entry bundle holds entries of at most 65535 bytes/,
      ) as string,
    });
  });

  it('answers 404 for a tile beyond the latest signed checkpoint, even when its leaves are stored', async () => {
    expect(ledger.store.size()).toBe(520);
    for (const [path, needs] of [
      ['tile/0/001', 512],
      ['tile/entries/001', 512],
      ['tile/0/001.p/48', 304],
      ['tile/1/000', 65_536],
      ['tile/0/002.p/1', 513],
      ['tile/63/x999/999', Infinity],
    ] as const) {
      const { res, bytes } = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(errorOf(bytes).code).toBe('TILE_NOT_FOUND');
      if (Number.isFinite(needs)) {
        expect(errorOf(bytes).message).toBe(
          `${path} needs a tree of ${needs} leaves; the latest signed checkpoint has 303`,
        );
      }
    }
  });

  it('counts tile requests under one route label in the metrics', async () => {
    await get('tile/0/000');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{[^}]*route="\/tile\/\*path"[^}]*status="200"[^}]*\} \d+/);
  });

  it('answers 400 naming what is wrong with a malformed tile path', async () => {
    for (const [path, reason] of [
      ['tile/0/01', 'index element "01" is not three digits (the last index element)'],
      ['tile/0/x000/001', 'is not canonical; write tile/0/001'],
      ['tile/00/000', 'level "00" is neither "entries" nor a number 0-63 without leading zeros'],
      ['tile/0/000.p/256', 'partial width "256" is not a number 1-255 without leading zeros'],
      ['tile/entries', 'has no tile index after the level'],
      ['tile/0/000/', 'has an empty path element (a doubled or trailing "/")'],
    ] as const) {
      const { res, bytes } = await get(path);
      expect(res.status, path).toBe(400);
      expect(errorOf(bytes)).toMatchObject({
        code: 'BAD_TILE_PATH',
        message: `tile path ${JSON.stringify(path)} ${reason}`,
      });
    }
  });
});
