// Node's test environment, plus a count of failed tests and hooks in this file
// (globalThis.__BLINKED_FAILURES__), so harnesses can print what the processes
// under test said only when something failed, and stay quiet otherwise.
import { TestEnvironment } from 'jest-environment-node';

export default class BlinkedEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__BLINKED_FAILURES__ = 0;
  }

  handleTestEvent(event) {
    if (event.name === 'hook_failure' || event.name === 'test_fn_failure') this.global.__BLINKED_FAILURES__++;
  }
}
