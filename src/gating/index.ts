/** Settings and gating: pure logic, plus loading/saving a server's settings through the store. */

export * from './changes.ts';
export * from './describe.ts';
export * from './gating.ts';
export * from './settings.ts';
export * from './store.ts';
