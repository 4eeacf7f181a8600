// Reading the shared vectors in tests/vectors/ (repository root), and the camelCase spelling
// of their snake_case keys that the JS packages use.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VECTORS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'vectors');

/** The parsed vector file `tests/vectors/<name>`. */
export const load = (name) => JSON.parse(readFileSync(join(VECTORS, name), 'utf8'));

/** `due_date` → `dueDate` for every object key, recursively (currency codes stay). */
export function camel(value) {
  if (Array.isArray(value)) return value.map(camel);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()), camel(v)]),
  );
}
