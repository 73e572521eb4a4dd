import '../../src-renderer/src/env.d.ts';
