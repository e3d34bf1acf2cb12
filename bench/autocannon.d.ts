// autocannon ships no types and @types/autocannon is not installed: bench/http-load.ts reads its result loosely.
declare module 'autocannon';
