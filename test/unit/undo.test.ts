import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UndoStack, withUndoFailures } from '../../src/undo.js';

class ModuleError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
  }
}
const wrap = (message: string, cause: unknown) => new ModuleError(message, { cause });

describe('undo stack', () => {
  it('undoes in reverse and rethrows the original error when every step succeeds', () => {
    const done: string[] = [];
    const undo = new UndoStack();
    undo.push('a', () => done.push('a'));
    undo.push('b', () => done.push('b'));
    const original = new Error('mount failed');
    assert.throws(() => undo.failSync(original, wrap), (e) => e === original);
    assert.deepEqual(done, ['b', 'a']);
  });

  it('runs every step even when one fails, and reports both failures', async () => {
    const done: string[] = [];
    const undo = new UndoStack();
    undo.push('delete veth', () => done.push('veth'));
    undo.push('remove rules', () => {
      throw new Error('iptables: busy');
    });
    undo.push('unmount', async () => void done.push('unmount'));
    const original = new Error('attach failed');
    const failures = await undo.undo();
    assert.deepEqual(done, ['unmount', 'veth'], 'the steps before and after the failing one ran');
    const err = withUndoFailures(original, failures, wrap);
    assert.ok(err instanceof ModuleError);
    assert.equal(err.message, 'attach failed; cleaning up also failed: remove rules: iptables: busy');
    assert.equal(err.cause, original);
    assert.deepEqual(await undo.undo(), [], 'the steps ran once');
  });

  it('reports an asynchronous step run synchronously instead of dropping it', () => {
    const undo = new UndoStack();
    undo.push('async step', async () => undefined);
    assert.match(String((undo.undoSync()[0]!.error as Error).message), /asynchronous/);
  });
});
