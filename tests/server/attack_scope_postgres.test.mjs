// attack_scope.test.mjs's tests again, on a server that keeps its changes and
// accounts in PostgreSQL (useServer in support.mjs reads PSC_TEST_STORE):
// the role x scope rules hold whichever store is behind them.
process.env.PSC_TEST_STORE = 'postgres';
await import('./attack_scope.test.mjs');
