/**
 * The Node (V8) flags ficbot runs with: `npm start` passes them to tsx, which hands them to node
 * (package.json; a test keeps the two the same), `npm run start:shards` gives them to every shard,
 * and `npm run bench` starts the bot it measures with them.
 *
 * `--max-semi-space-size=2`: V8's young generation (two semi-spaces, each growing up to 16 MB on
 * 64-bit) holds only what an interaction allocates for a moment; the library lives in the old
 * generation. 2 MB semi-spaces keep about 30 MB less resident with a 100 MB library (bench:
 * RSS after load) for a few more, smaller, young collections.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
