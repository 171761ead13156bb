/**
 * The `test` and `expect` every spec imports. Fixtures shared by the whole suite are added here,
 * so that each one applies to every test.
 */
import { test as base } from '@playwright/test';

export { expect } from '@playwright/test';
export type { APIRequestContext, BrowserContext, Page } from '@playwright/test';

export const test = base;
