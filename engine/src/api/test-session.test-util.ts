/** Real data the API tests read: vega-datasets' flights (Parquet) and airports (CSV). */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const FLIGHTS_PARQUET = join(root, 'node_modules/vega-datasets/data/flights-3m.parquet');
export const AIRPORTS_CSV = join(root, 'node_modules/vega-datasets/data/airports.csv');
