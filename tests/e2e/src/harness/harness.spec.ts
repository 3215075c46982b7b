import { ServiceExitedError, waitFor } from '@shop/test-kit';
import { useStack } from './stack';

/**
 * The harness itself: a service that dies under a test names itself, its exit and its last
 * output at once, in every call and every wait, instead of a later ECONNREFUSED.
 */
describe('the e2e stack when a service dies under a test', () => {
  const stack = useStack();

  it('fails the calls and the waits that follow at once with the exit and the last output', async () => {
    const pid = stack.pid('notification');
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGKILL');
    // Waiting for something only the dead service could give, longer than the test's own timeout.
    const error = await waitFor(async () => (await stack.api('notification').get('/health')).status === 418, {
      what: 'a teapot',
      timeoutMs: 120_000,
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ServiceExitedError);
    expect((error as ServiceExitedError).exit).toMatchObject({ name: 'notification-service', signal: 'SIGKILL' });
    expect((error as Error).message).toMatch(/notification-service exited during the test \(signal SIGKILL\)/);
    // A call to another, healthy service names the death too: it is the cause of whatever fails next.
    await expect(stack.api('user').get('/health')).rejects.toBeInstanceOf(ServiceExitedError);
    expect(stack.logReport()).toMatch(/--- notification-service \(.*notification-service\.log\) ---/);
  });
});
