import { describe, expectTypeOf, it } from 'vitest';
import type { VulnzeroApi } from '../../src-preload/api-types';
import type { EventPayload, Input, Output, Result } from '../../src-preload/contract';

describe('renderer API types derive from the contract', () => {
  it('channel functions take the contract input and resolve to its output', () => {
    expectTypeOf<Window['vulnzero']>().toEqualTypeOf<VulnzeroApi>();
    expectTypeOf<VulnzeroApi['app']['version']>().returns.toEqualTypeOf<
      Promise<Result<Output<'app.version'>>>
    >();
    expectTypeOf<VulnzeroApi['jobs']['cancel']>()
      .parameter(0)
      .toEqualTypeOf<Input<'jobs.cancel'>>();
    expectTypeOf<Output<'app.health'>['vault']>().toEqualTypeOf<'absent' | 'locked' | 'unlocked'>();
  });

  it('event subscriptions get typed payloads and return an unsubscribe function', () => {
    expectTypeOf<VulnzeroApi['events']['onProgress']>()
      .parameter(0)
      .parameter(0)
      .toEqualTypeOf<EventPayload<'progress'>>();
    expectTypeOf<VulnzeroApi['events']['onProgress']>().returns.toEqualTypeOf<() => void>();
  });

  it('unknown channels do not exist on the API', () => {
    // @ts-expect-error app.nope is not in the contract
    expectTypeOf<VulnzeroApi['app']['nope']>().toBeNever();
  });
});
