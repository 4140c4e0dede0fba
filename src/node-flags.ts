/**
 * The Node (V8) flags ficbot runs with: `npm start` passes them to tsx, which hands them to node
 * (package.json; a test keeps the two the same), `npm run start:shards` gives them to every shard,
 * and `npm run bench` starts the bot it measures with them.
 *
 * `--max-semi-space-size=4`: V8's young generation (two semi-spaces, each growing up to 16 MB on
 * 64-bit) holds only what an interaction allocates for a moment; the library lives in the old
 * generation. With 4 MB semi-spaces the bot keeps about 30 MB less resident with a 100 MB library
 * (bench, RSS after load: ~379 MB against ~405 MB with Node's defaults). 2 MB saves another
 * ~10 MB, but young collections then come twice as often and promote more short-lived objects
 * into the 250 MB old generation; the bench's round trips did not tell 2 and 4 apart.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
